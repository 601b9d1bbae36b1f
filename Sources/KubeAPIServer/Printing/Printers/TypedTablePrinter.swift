import Foundation
import KubeModel

/// A printer that works on the typed form of its kind. Objects are printed as stored: the
/// strategies already applied upstream's defaults, so a missing field prints as Go's zero
/// value would (0, "") unless upstream's printer itself checks for it ("<unset>", "<none>").
protocol TypedTablePrinter: TablePrinter {
    associatedtype Object: JSONCodable
    static var columnDefinitions: [TableColumn] { get }
    func cells(of object: Object, now: Date) -> [JSONValue]
}

extension TypedTablePrinter {
    var columns: [TableColumn] { Self.columnDefinitions }

    func cells(for object: JSONValue, now: Date) -> [JSONValue] {
        guard let typed = try? Object(json: object) else { return Self.placeholderCells(for: object) }
        return cells(of: typed, now: now)
    }

    /// A row for an object that does not decode: its name in the name column and empty cells,
    /// so one bad object cannot break a whole list.
    static func placeholderCells(for object: JSONValue) -> [JSONValue] {
        let name = object[path: ["metadata", "name"]] ?? ""
        return columnDefinitions.map { $0.format == "name" ? name : "" }
    }
}
