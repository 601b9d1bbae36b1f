import KubeModel

/// How pods tolerate taints (upstream's ToleratesTaint and GetMatchingTolerations).
extension CoreV1.Toleration {
    func tolerates(_ taint: CoreV1.Taint) -> Bool {
        if let effect, !effect.isEmpty, effect != taint.effect { return false }
        if let key, !key.isEmpty, key != taint.key { return false }
        switch `operator` ?? "Equal" {
        case "", "Equal": return (value ?? "") == (taint.value ?? "")
        case "Exists": return true
        default: return false
        }
    }
}

enum TolerationMatch: Equatable {
    /// Some taint is not tolerated: evict now.
    case untolerated
    /// Every taint is tolerated for ever.
    case forever
    /// Every taint is tolerated, the shortest for this many seconds.
    case seconds(Int)

    /// The first toleration of each taint counts, as upstream.
    static func of(_ tolerations: [CoreV1.Toleration], for taints: [CoreV1.Taint]) -> TolerationMatch {
        var shortest: Int?
        for taint in taints {
            guard let toleration = tolerations.first(where: { $0.tolerates(taint) }) else { return .untolerated }
            if let seconds = toleration.tolerationSeconds {
                shortest = min(shortest ?? Int.max, max(0, seconds))
            }
        }
        return shortest.map(TolerationMatch.seconds) ?? .forever
    }
}
