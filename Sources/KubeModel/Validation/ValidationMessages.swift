/// Upstream's shared message builders (k8s.io/apimachinery/pkg/util/validation), so every rule
/// words its failures the same way.
public enum ValidationMessages {
    public static func empty() -> String { "must be non-empty" }

    public static func maxLength(_ length: Int) -> String { "must be no more than \(length) characters" }

    public static func inclusiveRange(_ low: Int, _ high: Int) -> String {
        "must be between \(low) and \(high), inclusive"
    }

    /// `<message> (e.g. 'a',  or 'b', regex used for validation is '<regex>')`; the doubled
    /// space after each example's comma is upstream's.
    public static func regex(_ message: String, _ regex: String, examples: [String] = []) -> String {
        if examples.isEmpty { return message + " (regex used for validation is '" + regex + "')" }
        var text = message + " (e.g. "
        for (index, example) in examples.enumerated() {
            if index > 0 { text += " or " }
            text += "'" + example + "', "
        }
        return text + "regex used for validation is '" + regex + "')"
    }

    public static let negative = "must be greater than or equal to 0"
    public static let immutable = "field is immutable"

    /// Upstream's aggregate error text: duplicates dropped, one message bare, several joined
    /// with ", " inside brackets. Nil when there is nothing to report.
    public static func aggregate(_ messages: [String]) -> String? {
        var seen = Set<String>()
        var unique: [String] = []
        for message in messages where seen.insert(message).inserted { unique.append(message) }
        switch unique.count {
        case 0: return nil
        case 1: return unique[0]
        default: return "[" + unique.joined(separator: ", ") + "]"
        }
    }
}
