import Foundation
import KubeModel
import Testing
@testable import KubeAPIServer

/// The moment every printing test prints at.
let printingNow = Date(timeIntervalSince1970: 1_700_000_000)

/// A timestamp `seconds` before `printingNow`, as the API writes it.
func printedAgo(_ seconds: Double) -> JSONValue {
    .string(RFC3339.format(printingNow.addingTimeInterval(-seconds), fractionalDigits: 0))
}

/// Metadata of an object created `age` seconds ago, with any extra members.
func printedMetadata(_ name: String, age: Double = 600, _ extra: JSONObject = [:]) -> JSONValue {
    var metadata: JSONObject = ["name": .string(name), "namespace": "default", "creationTimestamp": printedAgo(age)]
    for (key, value) in extra { metadata[key] = value }
    return .object(metadata)
}

/// One table-driven case: an object and the cells its row must have.
struct PrintCase: Sendable, CustomTestStringConvertible {
    let label: String
    let object: JSONValue
    let cells: [JSONValue]

    init(_ label: String, _ object: JSONValue, _ cells: [JSONValue]) {
        self.label = label
        self.object = object
        self.cells = cells
    }

    var testDescription: String { label }
}

/// The cells `printer` gives the case's object, checked against the case and the columns.
func expectCells(_ printer: any TablePrinter, _ testCase: PrintCase, sourceLocation: SourceLocation = #_sourceLocation) {
    let cells = printer.cells(for: testCase.object, now: printingNow)
    #expect(cells.count == printer.columns.count, "one cell per column", sourceLocation: sourceLocation)
    #expect(cells == testCase.cells, sourceLocation: sourceLocation)
}
