import ArgumentParser

/// A duration written as Go's time.ParseDuration reads it ("40s", "1m30s", "500ms"), as
/// kube-controller-manager's flags take them.
struct GoDuration: ExpressibleByArgument, Sendable, Equatable, CustomStringConvertible {
    var duration: Duration
    let text: String

    init(_ duration: Duration, text: String) {
        self.duration = duration
        self.text = text
    }

    init?(argument: String) {
        guard let parsed = Self.parse(argument) else { return nil }
        self.init(parsed, text: argument)
    }

    var description: String { text }
    var defaultValueDescription: String { text }

    static let units: [(suffix: String, seconds: Double)] = [
        ("ns", 1e-9), ("us", 1e-6), ("µs", 1e-6), ("ms", 1e-3), ("s", 1), ("m", 60), ("h", 3600),
    ]

    static func parse(_ text: String) -> Duration? {
        var rest = Substring(text)
        guard !rest.isEmpty else { return nil }
        if rest == "0" { return .zero }
        var total = 0.0
        while !rest.isEmpty {
            let number = rest.prefix { $0.isNumber || $0 == "." }
            guard !number.isEmpty, let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            // Longest unit first: "ms" before "m", "ns"/"us" before "s".
            guard let unit = units.sorted(by: { $0.suffix.count > $1.suffix.count }).first(where: { rest.hasPrefix($0.suffix) }) else {
                return nil
            }
            rest = rest.dropFirst(unit.suffix.count)
            total += value * unit.seconds
        }
        return .milliseconds(Int64((total * 1000).rounded()))
    }
}
