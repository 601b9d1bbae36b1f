import Testing

@testable import KubeModel

@Suite("Quantity")
struct QuantityTests {
    // Input, canonical string, and the format kept from the input.
    static let canonicalCases: [(String, String, Quantity.Format)] = [
        // Zero in every spelling.
        ("0", "0", .decimalSI),
        ("-0", "0", .decimalSI),
        ("000", "0", .decimalSI),
        ("0Mi", "0", .binarySI),
        ("0e3", "0", .decimalExponent),
        ("0.0", "0", .decimalSI),
        // Decimal SI.
        ("100m", "100m", .decimalSI),
        ("1500m", "1500m", .decimalSI),
        ("1000m", "1", .decimalSI),
        ("1.5", "1500m", .decimalSI),
        ("0.1", "100m", .decimalSI),
        (".5", "500m", .decimalSI),
        ("1.", "1", .decimalSI),
        ("1.G", "1G", .decimalSI),
        ("+1", "1", .decimalSI),
        ("007", "7", .decimalSI),
        ("1000", "1k", .decimalSI),
        ("1k", "1k", .decimalSI),
        ("1500000", "1500k", .decimalSI),
        ("1.5M", "1500k", .decimalSI),
        ("5G", "5G", .decimalSI),
        ("1T", "1T", .decimalSI),
        ("1P", "1P", .decimalSI),
        ("1E", "1E", .decimalSI),
        ("1000E", "1000E", .decimalSI),
        ("1n", "1n", .decimalSI),
        ("1u", "1u", .decimalSI),
        ("10u", "10u", .decimalSI),
        ("1000u", "1m", .decimalSI),
        ("-100m", "-100m", .decimalSI),
        ("-1.5", "-1500m", .decimalSI),
        ("123456789012345678901234567890", "123456789012345678901234567890", .decimalSI),
        ("12345.6789", "12345678900u", .decimalSI),
        // Below nano precision rounds away from zero.
        ("0.5n", "1n", .decimalSI),
        ("1.5n", "2n", .decimalSI),
        ("0.0000000001", "1n", .decimalSI),
        ("-0.0000000001", "-1n", .decimalSI),
        ("1.0000000001", "1000000001n", .decimalSI),
        // Binary SI.
        ("1Ki", "1Ki", .binarySI),
        ("512Ki", "512Ki", .binarySI),
        ("1024Ki", "1Mi", .binarySI),
        ("1.5Gi", "1536Mi", .binarySI),
        ("0.5Gi", "512Mi", .binarySI),
        ("1Gi", "1Gi", .binarySI),
        ("-1Gi", "-1Gi", .binarySI),
        ("7Ei", "7Ei", .binarySI),
        ("1024Ei", "9223372036854775807", .binarySI),  // capped at the largest int64
        ("8Ei", "9223372036854775807", .binarySI),
        ("0.5Ki", "512", .binarySI),  // under 1024 prints as decimal
        ("1.5Ki", "1536", .binarySI),  // not a whole number of Ki
        ("0.1Ki", "102400m", .binarySI),  // fractional prints as decimal
        ("0.0001Ki", "102400u", .decimalSI),  // below one: becomes DecimalSI
        // Decimal exponent.
        ("2e3", "2e3", .decimalExponent),
        ("1E-3", "1e-3", .decimalExponent),
        ("1e4", "10e3", .decimalExponent),
        ("12e3", "12e3", .decimalExponent),
        ("1.5e3", "1500", .decimalExponent),
        ("1e0", "1", .decimalExponent),
        ("100e-3", "100e-3", .decimalExponent),
        ("1e-10", "1e-9", .decimalExponent),
        ("0.001e3", "1", .decimalExponent),
        ("1e+3", "1e3", .decimalExponent),
        ("-5e-3", "-5e-3", .decimalExponent),
        ("1e21", "1e21", .decimalExponent),
    ]

    /// Inputs upstream prints back as written although they are not canonical: its parser
    /// keeps short inputs that pass a quick "looks canonical" test.
    static let keptNonCanonicalInputs: Set<String> = ["+1", "007", "1.", "1.G", "1E-3", "1e+3", "1e0"]

    @Test(arguments: canonicalCases)
    func parsesAndPrintsCanonically(input: String, canonical: String, format: Quantity.Format) throws {
        let quantity = try Quantity(input)
        #expect(quantity.canonical == canonical)
        #expect(quantity.description == (Self.keptNonCanonicalInputs.contains(input) ? input : canonical))
        #expect(quantity.format == format)
        // The canonical form parses back to the same amount and prints the same.
        let reparsed = try Quantity(canonical)
        #expect(reparsed == quantity)
        #expect(reparsed.description == canonical)
    }

    // Input and what upstream's String() prints for it.
    static let keptTextCases: [(String, String)] = [
        ("1.500", "1.500"),
        ("12.345", "12.345"),
        ("1.234k", "1.234k"),
        ("+100m", "+100m"),
        ("01", "01"),
        ("1E3", "1E3"),
        ("1025Ki", "1025Ki"),
        ("-1Ki", "-1Ki"),
        // Not kept: fails upstream's quick test, so printed canonically.
        ("1.50", "1500m"),
        ("1000", "1k"),
        ("0.5", "500m"),
        ("8Ki", "8Ki"),
        ("1024Ki", "1Mi"),
        ("1.5Ki", "1536"),
        ("1Ei", "1Ei"),
        ("1.0000000000", "1"),
        ("1234567890123456789", "1234567890123456789"),
    ]

    @Test(arguments: keptTextCases)
    func printsWhatUpstreamPrints(input: String, printed: String) throws {
        let quantity = try Quantity(input)
        #expect(quantity.description == printed)
        #expect(quantity.toJSON() == .string(printed))
        // Arithmetic always yields the canonical form.
        #expect((quantity + .zero).description == quantity.canonical)
        #expect((-(-quantity)).description == quantity.canonical)
    }

    static let invalidCases: [(String, QuantityError)] = [
        ("", .formatWrong),
        ("1.1.M", .formatWrong),
        ("1+1.0M", .formatWrong),
        ("0.1am", .formatWrong),
        ("aoeu", .formatWrong),
        (" 1", .formatWrong),
        ("1 ", .formatWrong),
        ("1x", .formatWrong),
        ("1KI", .formatWrong),
        ("1Gi ", .formatWrong),
        ("0.1mi", .suffix),
        (".5i", .suffix),
        ("1i", .suffix),
        ("-3.01i", .suffix),
        ("-3.01e-", .suffix),
        ("1e", .suffix),
        ("1Ki1", .suffix),
        ("--1", .suffix),
        ("1e99999999999", .suffix),
        ("1e5000", .numeric),
    ]

    @Test(arguments: invalidCases)
    func rejectsInvalidInput(input: String, expected: QuantityError) {
        #expect(throws: expected) { try Quantity(input) }
    }

    @Test func formatErrorCarriesUpstreamMessage() {
        #expect(
            QuantityError.formatWrong.description
                == "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")
        #expect(QuantityError.suffix.description == "unable to parse quantity's suffix")
    }

    // Input, value() (rounded up), milliValue() (rounded up).
    static let valueCases: [(String, Int64, Int64)] = [
        ("0", 0, 0),
        ("1", 1, 1000),
        ("100m", 1, 100),
        ("1.5", 2, 1500),
        ("1n", 1, 1),
        ("1500u", 1, 2),
        ("-1.5", -1, -1500),
        ("-100m", 0, -100),
        ("1Ki", 1024, 1_024_000),
        ("1Gi", 1_073_741_824, 1_073_741_824_000),
        ("2e3", 2000, 2_000_000),
        ("1e30", .max, .max),
        ("-1e30", .min, .min),
        ("9223372036854775807", .max, .max),
    ]

    @Test(arguments: valueCases)
    func integerValuesRoundUp(input: String, value: Int64, milli: Int64) throws {
        let quantity = try Quantity(input)
        #expect(quantity.value == value)
        #expect(quantity.milliValue == milli)
    }

    @Test func scaledValueAndExactInteger() throws {
        #expect(Quantity("1500M").scaledValue(9) == 2)
        #expect(Quantity("1G").scaledValue(6) == 1000)
        #expect(Quantity("1Ki").int64Value == 1024)
        #expect(Quantity("1.5").int64Value == nil)
        #expect(Quantity("100e30").int64Value == nil)
        #expect(Quantity("250m").approximateDouble == 0.25)
        #expect(Quantity("-2Ki").approximateDouble == -2048)
    }

    // Left, right, sum, difference (canonical strings; format follows the left operand).
    static let arithmeticCases: [(String, String, String, String)] = [
        ("1", "100m", "1100m", "900m"),
        ("1Gi", "1Gi", "2Gi", "0"),
        ("1Gi", "512Mi", "1536Mi", "512Mi"),
        ("100m", "200m", "300m", "-100m"),
        ("1Ki", "1", "1025", "1023"),
        ("0", "1Ki", "1Ki", "-1Ki"),
        ("9223372036854775807", "1", "9223372036854775808", "9223372036854775806"),
        ("1e3", "1", "1001", "999"),
        ("-1", "-1", "-2", "0"),
        ("1n", "1E", "1000000000000000000000000001n", "-999999999999999999999999999n"),
        ("123456789012345678901234567890", "123456789012345678901234567890",
         "246913578024691357802469135780", "0"),
    ]

    @Test(arguments: arithmeticCases)
    func addsAndSubtractsExactly(left: String, right: String, sum: String, difference: String) throws {
        let lhs = try Quantity(left)
        let rhs = try Quantity(right)
        #expect((lhs + rhs).description == sum)
        #expect((lhs - rhs).description == difference)
        var accumulated = lhs
        accumulated += rhs
        accumulated -= rhs
        #expect(accumulated == lhs)
    }

    @Test func negationKeepsFormat() throws {
        let quantity = Quantity("1Gi")
        #expect((-quantity).description == "-1Gi")
        #expect(-(-quantity) == quantity)
        #expect((-Quantity.zero).description == "0")
        #expect(Quantity.zero.isZero)
        #expect(Quantity("-1m").sign == -1)
        #expect(Quantity("1m").sign == 1)
    }

    // Smaller, larger.
    static let orderingCases: [(String, String)] = [
        ("100m", "1"),
        ("1G", "1Gi"),
        ("-1", "0"),
        ("-2", "-1"),
        ("999m", "1"),
        ("1n", "1u"),
        ("1Ki", "1025"),
        ("9223372036854775807", "9223372036854775808"),
        ("1e-9", "2n"),
        ("-1E", "-999P"),
    ]

    @Test(arguments: orderingCases)
    func ordersByAmount(smaller: String, larger: String) throws {
        let small = try Quantity(smaller)
        let large = try Quantity(larger)
        #expect(small < large)
        #expect(large > small)
        #expect(small != large)
        #expect(small.compare(large) == -1)
        #expect(large.compare(small) == 1)
    }

    static let equalCases: [(String, String)] = [
        ("1", "1000m"),
        ("1Ki", "1024"),
        ("1e3", "1k"),
        ("0", "0Gi"),
        ("1.50", "1500m"),
        ("1Mi", "1024Ki"),
    ]

    @Test(arguments: equalCases)
    func equalAmountsAreEqualWhateverTheFormat(left: String, right: String) throws {
        let lhs = try Quantity(left)
        let rhs = try Quantity(right)
        #expect(lhs == rhs)
        #expect(lhs.hashValue == rhs.hashValue)
        #expect(lhs.compare(rhs) == 0)
        #expect(Set([lhs, rhs]).count == 1)
    }

    @Test func constructors() {
        #expect(Quantity(milli: 1500).description == "1500m")
        #expect(Quantity(milli: 2000).description == "2")
        #expect(Quantity(milli: -250).description == "-250m")
        #expect(Quantity(value: 5).description == "5")
        #expect(Quantity(value: 1024, format: .binarySI).description == "1Ki")
        #expect(Quantity(value: 3 * 1024 * 1024 * 1024, format: .binarySI).description == "3Gi")
        #expect(Quantity(value: 1000, format: .decimalExponent).description == "1e3")
        #expect(Quantity(value: 1, scale: -12).description == "1n")
        #expect(Quantity(value: 5, scale: 3).description == "5k")
        #expect(Quantity(value: .max).value == .max)
        #expect(Quantity(value: .min).value == .min)
        let literal: Quantity = "250m"
        #expect(literal == Quantity(milli: 250))
        #expect(Quantity(milli: 1500).canonicalParts == ("1500", "m"))
        #expect(Quantity(value: 2048, format: .binarySI).canonicalParts == ("2", "Ki"))
    }

    static let jsonCases: [(JSONValue, String)] = [
        (.string("100m"), "100m"),
        (.string(" 1Gi\n"), "1Gi"),
        (.int(1), "1"),
        (.int(4000), "4k"),
        (.double(0.5), "500m"),
        (.double(0.0000015), "1500n"),  // read as Go's JSON writes it: 0.0000015
        (.double(1.5e-7), "150e-9"),  // Go's JSON writes 1.5e-7: an exponent quantity
        (.double(1.5e-9), "2e-9"),  // rounded up to nano
        (.double(100.0), "100"),
        (.double(1e21), "1e+21"),  // Go's JSON writes 1e+21; upstream keeps that text
        (.null, "0"),
    ]

    @Test(arguments: jsonCases)
    func decodesStringsAndNumbers(json: JSONValue, canonical: String) throws {
        let quantity = try Quantity(json: json)
        #expect(quantity.description == canonical)
        #expect(quantity.toJSON() == .string(canonical))
    }

    @Test func decodeErrorsNameTheField() throws {
        let object: JSONValue = ["cpu": "lots"]
        do {
            let _: [String: Quantity] = try [String: Quantity](json: object)
            Issue.record("expected a decode error")
        } catch let error as JSONDecodeError {
            #expect(error.path == "cpu")
            #expect(error.message == QuantityError.formatWrong.description)
        }
        #expect(throws: JSONDecodeError.self) { try Quantity(json: .bool(true)) }
        #expect(throws: JSONDecodeError.self) { try Quantity(json: .string("")) }
    }

    @Test func resourceListRoundTripsThroughJSONText() throws {
        let text = #"{"cpu":"1500m","memory":"1.5Gi","pods":110,"ephemeral-storage":"1e9"}"#
        let list = try [String: Quantity](jsonBytes: Array(text.utf8))
        #expect(list["memory"] == Quantity(value: 1536 * 1024 * 1024))
        #expect(
            JSONWriter.string(list.toJSON())
                == #"{"cpu":"1500m","ephemeral-storage":"1e9","memory":"1536Mi","pods":"110"}"#)
    }
}
