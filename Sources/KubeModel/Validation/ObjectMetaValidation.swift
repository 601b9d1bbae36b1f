/// The ObjectMeta fields that validation looks at, as plain values (generated API types are
/// adapted to this elsewhere).
public struct ObjectMetaFields: Sendable, Hashable {
    public var name: String
    public var generateName: String
    public var namespace: String
    public var uid: String
    public var resourceVersion: String
    public var generation: Int64
    public var creationTimestamp: Time?
    public var deletionTimestamp: Time?
    public var deletionGracePeriodSeconds: Int64?
    public var labels: [String: String]
    public var annotations: [String: String]
    public var ownerReferences: [OwnerReferenceFields]
    public var finalizers: [String]

    public init(
        name: String = "", generateName: String = "", namespace: String = "", uid: String = "",
        resourceVersion: String = "", generation: Int64 = 0, creationTimestamp: Time? = nil,
        deletionTimestamp: Time? = nil, deletionGracePeriodSeconds: Int64? = nil, labels: [String: String] = [:],
        annotations: [String: String] = [:], ownerReferences: [OwnerReferenceFields] = [], finalizers: [String] = []
    ) {
        self.name = name
        self.generateName = generateName
        self.namespace = namespace
        self.uid = uid
        self.resourceVersion = resourceVersion
        self.generation = generation
        self.creationTimestamp = creationTimestamp
        self.deletionTimestamp = deletionTimestamp
        self.deletionGracePeriodSeconds = deletionGracePeriodSeconds
        self.labels = labels
        self.annotations = annotations
        self.ownerReferences = ownerReferences
        self.finalizers = finalizers
    }
}

extension Validation {
    /// Metadata of an object being created (upstream's `ValidateObjectMeta`). The registry has
    /// already turned generateName into a name by now; generateName is still checked as a
    /// prefix. `requiresNamespace` is true for namespaced kinds, which must carry a namespace;
    /// cluster-scoped kinds must not.
    public static func validateObjectMeta(
        _ meta: ObjectMetaFields, requiresNamespace: Bool, nameValidator: NameValidator,
        path: FieldPath = FieldPath("metadata")
    ) -> [FieldError] {
        var errors: [FieldError] = []
        if !meta.generateName.isEmpty {
            errors += nameValidator(meta.generateName, true).map {
                .invalid(path.child("generateName"), .string(meta.generateName), $0)
            }
        }
        if meta.name.isEmpty {
            errors.append(.required(path.child("name"), "name or generateName is required"))
        } else {
            errors += nameValidator(meta.name, false).map { .invalid(path.child("name"), .string(meta.name), $0) }
        }
        if requiresNamespace {
            if meta.namespace.isEmpty {
                errors.append(.required(path.child("namespace")))
            } else {
                errors += validateNamespaceName(meta.namespace, false).map {
                    .invalid(path.child("namespace"), .string(meta.namespace), $0)
                }
            }
        } else if !meta.namespace.isEmpty {
            errors.append(.forbidden(path.child("namespace"), "not allowed on this type"))
        }
        errors += validateNonnegative(meta.generation, path: path.child("generation"))
        errors += validateLabels(meta.labels, path: path.child("labels"))
        errors += validateAnnotations(meta.annotations, path: path.child("annotations"))
        errors += validateOwnerReferences(meta.ownerReferences, path: path.child("ownerReferences"))
        errors += validateFinalizers(meta.finalizers, path: path.child("finalizers"))
        return errors
    }

    /// Metadata of an update (upstream's `ValidateObjectMetaUpdate`): a resourceVersion is
    /// required, generation never goes down, identity and deletion fields are immutable, and no
    /// finalizer may be added once deletion has started.
    public static func validateObjectMetaUpdate(
        _ new: ObjectMetaFields, old: ObjectMetaFields, path: FieldPath = FieldPath("metadata")
    ) -> [FieldError] {
        var errors: [FieldError] = []
        if old.deletionTimestamp != nil {
            errors += validateNoNewFinalizers(new.finalizers, old: old.finalizers, path: path.child("finalizers"))
        }
        if new.resourceVersion.isEmpty {
            errors.append(.invalid(path.child("resourceVersion"), .string(new.resourceVersion), "must be specified for an update"))
        }
        if new.generation < old.generation {
            errors.append(.invalid(path.child("generation"), .int(new.generation), "must not be decremented"))
        }
        errors += validateImmutableField(new.name, old.name, path: path.child("name"), shown: .string(new.name))
        errors += validateImmutableField(new.namespace, old.namespace, path: path.child("namespace"), shown: .string(new.namespace))
        errors += validateImmutableField(new.uid, old.uid, path: path.child("uid"), shown: .string(new.uid))
        errors += validateImmutableField(
            new.creationTimestamp, old.creationTimestamp, path: path.child("creationTimestamp"),
            shown: goTimeValue(new.creationTimestamp, zeroWhenAbsent: true))
        errors += validateImmutableField(
            new.deletionTimestamp, old.deletionTimestamp, path: path.child("deletionTimestamp"),
            shown: goTimeValue(new.deletionTimestamp, zeroWhenAbsent: false))
        errors += validateImmutableField(
            new.deletionGracePeriodSeconds, old.deletionGracePeriodSeconds, path: path.child("deletionGracePeriodSeconds"),
            shown: new.deletionGracePeriodSeconds.map(FieldValue.int) ?? .null)
        errors += validateLabels(new.labels, path: path.child("labels"))
        errors += validateAnnotations(new.annotations, path: path.child("annotations"))
        errors += validateOwnerReferences(new.ownerReferences, path: path.child("ownerReferences"))
        errors += validateFinalizers(new.finalizers, path: path.child("finalizers"))
        return errors
    }

    /// "field is immutable" when the value changed.
    public static func validateImmutableField<Value: Equatable>(
        _ new: Value, _ old: Value, path: FieldPath, shown: FieldValue
    ) -> [FieldError] {
        new == old ? [] : [.invalid(path, shown, ValidationMessages.immutable)]
    }

    public static func validateNonnegative(_ value: Int64, path: FieldPath) -> [FieldError] {
        value < 0 ? [.invalid(path, .int(value), ValidationMessages.negative)] : []
    }

    /// Go prints metav1.Time through time.Time's String: "2024-05-01 10:00:00 +0000 UTC". A
    /// missing creationTimestamp is Go's zero time; a missing deletionTimestamp is nil.
    static func goTimeValue(_ time: Time?, zeroWhenAbsent: Bool) -> FieldValue {
        guard let time else { return zeroWhenAbsent ? .rendered("0001-01-01 00:00:00 +0000 UTC") : .null }
        let text = time.description  // 2024-05-01T10:00:00Z
        let layout = text.map { $0 == "T" ? " " : String($0) }.joined().dropLast()
        return .rendered(layout + " +0000 UTC")
    }
}
