/// A value bound to a statement parameter.
enum SQLiteValue {
    case integer(Int64)
    case text(String)
    /// Text given as raw bytes: key-range bounds, which need not be valid UTF-8 (SQLite compares them with memcmp).
    case textBytes([UInt8])
    case blob([UInt8])
    case null
}

extension SQLiteValue {
    static func optionalInteger(_ value: Int64?) -> SQLiteValue {
        value.map(SQLiteValue.integer) ?? .null
    }
}
