/// Data plugins compute for one pod's scheduling cycle (upstream's CycleState), keyed by the
/// type of the stored value: each plugin declares its own state types, so keys never clash.
/// A value type: Filter runs on copies, and preemption's what-if evaluations mutate their own.
public struct CycleState: Sendable {
    private var values: [ObjectIdentifier: any Sendable] = [:]
    /// Plugins whose PreFilter returned Skip; the framework does not run their Filter.
    public internal(set) var skippedFilterPlugins: Set<String> = []
    /// Plugins whose PreScore returned Skip; the framework does not run their Score.
    public internal(set) var skippedScorePlugins: Set<String> = []

    public init() {}

    public func read<Value: Sendable>(_ type: Value.Type) -> Value? {
        values[ObjectIdentifier(type)] as? Value
    }

    public mutating func write<Value: Sendable>(_ value: Value) {
        values[ObjectIdentifier(Value.self)] = value
    }

    /// Applies `change` to the stored value of `type`, if there is one.
    public mutating func update<Value: Sendable>(_ type: Value.Type, _ change: (inout Value) -> Void) {
        let key = ObjectIdentifier(type)
        guard var value = values[key] as? Value else { return }
        values[key] = nil  // keep the stored copy unique while it changes
        change(&value)
        values[key] = value
    }
}
