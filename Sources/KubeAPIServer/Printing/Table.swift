import Foundation
import KubeModel

/// A column of a meta.k8s.io/v1 Table, as upstream's printers declare them. Priority 0 columns
/// are always shown; priority 1 only with `-o wide`.
public struct TableColumn: Sendable {
    public var name: String
    public var type: String
    public var format: String
    public var description: String
    public var priority: Int

    public init(_ name: String, type: String = "string", format: String = "", description: String = "", priority: Int = 0) {
        self.name = name
        self.type = type
        self.format = format
        self.description = description
        self.priority = priority
    }

    var json: JSONValue {
        ["name": .string(name), "type": .string(type), "format": .string(format),
         "description": .string(description), "priority": .int(Int64(priority))]
    }
}

/// Turns objects of one resource into Table rows.
public protocol TablePrinter: Sendable {
    var columns: [TableColumn] { get }
    /// The cells of the object's row(s), one value per column.
    func cells(for object: JSONValue, now: Date) -> [JSONValue]
}


/// Upstream's default for resources without a printer: the name and when it was created.
public struct DefaultTablePrinter: TablePrinter {
    public init() {}
    public var columns: [TableColumn] {
        [TableColumn("Name", format: "name", description: "Name must be unique within a namespace."),
         TableColumn("Created At", type: "date", description: "CreationTimestamp is a timestamp representing the server time when this object was created.")]
    }
    public func cells(for object: JSONValue, now: Date) -> [JSONValue] {
        [object[path: ["metadata", "name"]] ?? "", object[path: ["metadata", "creationTimestamp"]] ?? .null]
    }
}

/// The printers of every resource, keyed by "group/plural" ("apps/deployments", "/pods").
public struct TablePrinters: Sendable {
    private var printers: [String: any TablePrinter]

    public init(_ printers: [String: any TablePrinter] = [:]) { self.printers = printers }

    public func printer(group: String, plural: String) -> any TablePrinter {
        printers["\(group)/\(plural)"] ?? DefaultTablePrinter()
    }

    public mutating func register(group: String, plural: String, _ printer: any TablePrinter) {
        printers["\(group)/\(plural)"] = printer
    }
}
