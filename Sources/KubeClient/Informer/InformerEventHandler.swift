/// What an informer tells its handlers, in the order the changes happened. Handlers run one
/// at a time on the informer's delivery task and must not block (controllers only enqueue keys).
public struct InformerEventHandler<Object: Sendable>: Sendable {
    public var onAdd: @Sendable (Object) -> Void
    /// Old and new state; both are the same object on a periodic resync.
    public var onUpdate: @Sendable (_ old: Object, _ new: Object) -> Void
    /// The last known state of the deleted object.
    public var onDelete: @Sendable (Object) -> Void

    public init(onAdd: @escaping @Sendable (Object) -> Void = { _ in },
                onUpdate: @escaping @Sendable (_ old: Object, _ new: Object) -> Void = { _, _ in },
                onDelete: @escaping @Sendable (Object) -> Void = { _ in }) {
        self.onAdd = onAdd
        self.onUpdate = onUpdate
        self.onDelete = onDelete
    }

    /// One closure for every kind of change (e.g. enqueue the object's key).
    public init(onChange: @escaping @Sendable (Object) -> Void) {
        self.init(onAdd: onChange, onUpdate: { _, new in onChange(new) }, onDelete: onChange)
    }
}

/// One change as delivered to handlers.
enum InformerNotification<Object: Sendable>: Sendable {
    case added(Object)
    case updated(old: Object, new: Object)
    case deleted(Object)

    func deliver(to handler: InformerEventHandler<Object>) {
        switch self {
        case .added(let object): handler.onAdd(object)
        case .updated(let old, let new): handler.onUpdate(old, new)
        case .deleted(let object): handler.onDelete(object)
        }
    }
}
