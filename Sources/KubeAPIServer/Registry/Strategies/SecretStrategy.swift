import Foundation
import KubeModel

/// Secrets: type Opaque by default, stringData merged into data (as the v1 conversion does),
/// valid keys, at most 1 MiB, the keys each built-in type requires, an immutable type, and
/// `immutable`; `type` is selectable.
struct SecretStrategy: ResourceStrategy {
    typealias Object = CoreV1.Secret

    func applyDefaults(_ secret: inout CoreV1.Secret) {
        if (secret.type ?? "").isEmpty { secret.type = "Opaque" }
        if let stringData = secret.stringData {
            var data = secret.data ?? [:]
            for (key, value) in stringData { data[key] = Data(value.utf8) }
            secret.data = data
            secret.stringData = nil
        }
    }

    func validate(_ secret: CoreV1.Secret) -> [FieldError] {
        let dataPath = FieldPath("data")
        let data = secret.data ?? [:]
        var errors = ConfigDataValidation.keys(secret.data, path: dataPath)
        if data.values.reduce(0, { $0 + $1.count }) > ConfigDataValidation.maxSize {
            errors.append(.tooLong(dataPath, maxLength: ConfigDataValidation.maxSize))
        }
        func required(_ keys: String...) -> [FieldError] {
            keys.filter { data[$0] == nil }.map { .required(dataPath.key($0)) }
        }
        func wellFormedJSON(_ key: String) -> [FieldError] {
            guard let bytes = data[key] else { return required(key) }
            return Self.jsonObjectProblem(bytes).map { [.invalid(dataPath.key(key), "<secret contents redacted>", $0)] } ?? []
        }
        switch secret.type ?? "" {
        case "kubernetes.io/service-account-token":
            let key = "kubernetes.io/service-account.name"
            if (secret.metadata.annotations?[key] ?? "").isEmpty {
                errors.append(.required(FieldPath("metadata", "annotations").key(key)))
            }
        case "kubernetes.io/dockercfg":
            errors += wellFormedJSON(".dockercfg")
        case "kubernetes.io/dockerconfigjson":
            errors += wellFormedJSON(".dockerconfigjson")
        case "kubernetes.io/basic-auth":
            if data["username"] == nil && data["password"] == nil { errors += required("username", "password") }
        case "kubernetes.io/ssh-auth":
            if (data["ssh-privatekey"] ?? Data()).isEmpty { errors.append(.required(dataPath.key("ssh-privatekey"))) }
        case "kubernetes.io/tls":
            errors += required("tls.crt", "tls.key")
        default:
            break
        }
        return errors
    }

    /// Why `bytes` is not a JSON object, in the words of Go's json.Unmarshal (roughly).
    static func jsonObjectProblem(_ bytes: Data) -> String? {
        guard let value = try? JSONParser.parse(Array(bytes)) else {
            let text = String(decoding: bytes, as: UTF8.self).drop { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
            guard let first = text.first else { return "unexpected end of JSON input" }
            return "invalid character '\(first)' looking for beginning of value"
        }
        switch value {
        case .object: return nil
        case .array: return "json: cannot unmarshal array into Go value of type map[string]interface {}"
        case .string: return "json: cannot unmarshal string into Go value of type map[string]interface {}"
        case .bool: return "json: cannot unmarshal bool into Go value of type map[string]interface {}"
        case .null: return nil
        default: return "json: cannot unmarshal number into Go value of type map[string]interface {}"
        }
    }

    func validateUpdate(_ secret: CoreV1.Secret, old: CoreV1.Secret) -> [FieldError] {
        var errors = FieldChecks.immutable(secret.type, old.type, FieldPath("type"), shown: FieldChecks.optionalStringValue(secret.type))
        errors += ConfigDataValidation.immutability(wasImmutable: old.immutable, isImmutable: secret.immutable,
                                                    fields: [("data", secret.data != old.data)])
        return errors + validate(secret)
    }

    func selectableFields(_ secret: CoreV1.Secret) -> [String: String] {
        ["type": secret.type ?? ""]
    }
}
