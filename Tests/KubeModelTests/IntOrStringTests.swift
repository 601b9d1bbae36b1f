import Testing

@testable import KubeModel

@Suite("IntOrString")
struct IntOrStringTests {
    // Value, total, round up?, expected (maxSurge rounds up, maxUnavailable down).
    static let scaledCases: [(IntOrString, Int, Bool, Int?)] = [
        (.int(5), 10, true, 5),
        (.int(5), 10, false, 5),
        (.int(0), 10, true, 0),
        ("25%", 10, true, 3),
        ("25%", 10, false, 2),
        ("25%", 4, true, 1),
        ("25%", 4, false, 1),
        ("50%", 0, true, 0),
        ("100%", 7, false, 7),
        ("0%", 7, true, 0),
        ("1%", 1, true, 1),
        ("1%", 1, false, 0),
        ("99%", 3, false, 2),
        ("150%", 10, false, 15),
        ("abc", 10, true, nil),
        ("%", 10, true, nil),
        ("10.5%", 10, true, nil),
    ]

    @Test(arguments: scaledCases)
    func scaledValue(value: IntOrString, total: Int, roundUp: Bool, expected: Int?) {
        #expect(value.scaledValue(total: total, roundUp: roundUp) == expected)
    }

    static let jsonCases: [(JSONValue, IntOrString)] = [
        (.int(8080), .int(8080)),
        (.string("http"), .string("http")),
        (.string("25%"), .string("25%")),
        (.double(3), .int(3)),
    ]

    @Test(arguments: jsonCases)
    func decodesAndEncodes(json: JSONValue, value: IntOrString) throws {
        #expect(try IntOrString(json: json) == value)
        let encoded = value.toJSON()
        #expect(try IntOrString(json: encoded) == value)
    }

    @Test func rejectsOtherJSON() {
        #expect(throws: JSONDecodeError.self) { try IntOrString(json: .bool(true)) }
        #expect(throws: JSONDecodeError.self) { try IntOrString(json: .double(1.5)) }
        #expect(throws: JSONDecodeError.self) { try IntOrString(json: .array([])) }
    }

    @Test func literalsAndDescription() {
        let port: IntOrString = 80
        let name: IntOrString = "http"
        #expect(port.description == "80")
        #expect(name.description == "http")
        #expect(port.toJSON() == .int(80))
        #expect(name.toJSON() == .string("http"))
    }
}
