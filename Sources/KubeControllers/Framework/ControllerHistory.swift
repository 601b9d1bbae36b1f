import KubeClient
import KubeModel

/// ControllerRevisions, the immutable snapshots of a pod template that StatefulSets and
/// DaemonSets keep (upstream's controller history). A revision stores a strategic merge patch
/// that puts the template back (`{"spec":{"template":{…,"$patch":"replace"}}}`), is named
/// `<owner>-<hash>` after a hash of that data and the owner's collision count, and carries a
/// number that grows with every new (or returning) template.
public enum ControllerHistory {
    /// The label StatefulSet revisions carry their hash in.
    public static let hashLabel = "controller.kubernetes.io/hash"
    /// The label pods carry their revision in (a StatefulSet's revision name, a DaemonSet's hash);
    /// DaemonSet revisions carry their hash in it too.
    public static let revisionLabel = "controller-revision-hash"

    /// The revision data for a template: a patch that replaces the owner's template with it.
    public static func templatePatch(_ template: CoreV1.PodTemplateSpec) -> JSONValue {
        var object = template.toJSON().objectValue ?? [:]
        object["$patch"] = "replace"
        return canonical(["spec": ["template": .object(object)]])
    }

    /// The template a revision restores (upstream's ApplyRevision), nil for foreign data.
    public static func template(of revision: AppsV1.ControllerRevision) -> CoreV1.PodTemplateSpec? {
        guard var object = revision.data?[path: ["spec", "template"]]?.objectValue else { return nil }
        object.removeValue(forKey: "$patch")
        return try? CoreV1.PodTemplateSpec(json: .object(object))
    }

    /// The same value with object keys sorted at every level, so equal data compares and hashes equal.
    public static func canonical(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let object):
            var sorted = JSONObject()
            for key in object.keys.sorted() { sorted[key] = canonical(object[key]!) }
            return .object(sorted)
        case .array(let items):
            return .array(items.map(canonical))
        default:
            return value
        }
    }

    public static func sameData(_ a: JSONValue?, _ b: JSONValue?) -> Bool {
        canonical(a ?? .null) == canonical(b ?? .null)
    }

    /// The short hash of the canonical data and the collision count.
    public static func hash(_ data: JSONValue, collisionCount: Int) -> String {
        ShortHash.of(JSONWriter.bytes(canonical(data)), collisionCount: collisionCount)
    }

    /// `<owner>-<hash>`, the owner's name cut so the whole stays a valid object name.
    public static func revisionName(owner: String, hash: String) -> String {
        "\(owner.prefix(223))-\(hash)"
    }

    /// Oldest first: by revision number, then by name.
    public static func sorted(_ revisions: [AppsV1.ControllerRevision]) -> [AppsV1.ControllerRevision] {
        revisions.sorted {
            $0.revision != $1.revision ? $0.revision < $1.revision : ($0.metadata.name ?? "") < ($1.metadata.name ?? "")
        }
    }

    /// One more than the newest revision's number (1 for an empty history); `revisions` sorted.
    public static func nextRevision(after revisions: [AppsV1.ControllerRevision]) -> Int {
        (revisions.last?.revision ?? 0) + 1
    }
}

/// Reads and writes one namespace's ControllerRevisions for a controller: the owner's history
/// (adopting and releasing as for pods), the revision of its current template, and truncation
/// to the history limit.
struct RevisionHistory: Sendable {
    let client: APIClient
    let revisions: Informer<AppsV1.ControllerRevision>

    init(context: ControllerContext) {
        client = context.client
        revisions = context.informers.informer(AppsV1.ControllerRevision.self)
    }

    /// What identifies the revision a controller needs: its data and how it is labelled.
    struct Snapshot {
        var data: JSONValue
        /// The template's labels; the hash is added under `hashLabel`.
        var labels: [String: String]
        var hashLabel: String
        var annotations: [String: String]?
    }

    func resource(_ namespace: String?) -> ResourceClient<AppsV1.ControllerRevision> {
        client.resource(AppsV1.ControllerRevision.self, namespace: namespace)
    }

    /// The owner's revisions, oldest first.
    func history<Owner: KubeObject>(of owner: Owner, selector: LabelSelector) async throws -> [AppsV1.ControllerRevision] {
        let namespace = owner.metadata.namespace ?? ""
        let manager = ControllerRefManager(owner: owner, selector: selector, client: resource(namespace))
        return ControllerHistory.sorted(try await manager.claim(revisions.store.list(namespace: namespace)))
    }

    /// The revision holding `snapshot.data`: the newest revision when it already does; an older
    /// one that does, renumbered as the newest (a template that came back, as after a rollback);
    /// otherwise a new revision. A name taken by different data bumps `collisionCount` and the
    /// next name is tried.
    func revision<Owner: KubeObject>(for owner: Owner, _ snapshot: Snapshot, history: [AppsV1.ControllerRevision],
                                     collisionCount: inout Int) async throws -> AppsV1.ControllerRevision {
        let next = ControllerHistory.nextRevision(after: history)
        if let equal = history.last(where: { ControllerHistory.sameData($0.data, snapshot.data) }) {
            if equal.metadata.name == history.last?.metadata.name { return equal }
            var renumbered = equal
            renumbered.revision = next
            return try await resource(owner.metadata.namespace).update(renumbered)
        }
        while true {
            let hash = ControllerHistory.hash(snapshot.data, collisionCount: collisionCount)
            var revision = AppsV1.ControllerRevision()
            revision.metadata.name = ControllerHistory.revisionName(owner: owner.metadata.name ?? "", hash: hash)
            revision.metadata.namespace = owner.metadata.namespace
            revision.metadata.labels = snapshot.labels.merging([snapshot.hashLabel: hash]) { _, new in new }
            revision.metadata.annotations = snapshot.annotations
            revision.metadata.ownerReferences = [owner.makeControllerReference()]
            revision.data = snapshot.data
            revision.revision = next
            do {
                return try await resource(owner.metadata.namespace).create(revision)
            } catch let error as APIStatusError where error.isAlreadyExists {
                let existing = try await resource(owner.metadata.namespace).get(revision.metadata.name ?? "")
                if ControllerHistory.sameData(existing.data, snapshot.data) { return existing }
                collisionCount += 1
            }
        }
    }

    /// Deletes the oldest revisions that are not live until at most `limit` non-live ones remain
    /// (a negative limit keeps everything); `history` sorted oldest first.
    func truncate(_ history: [AppsV1.ControllerRevision], limit: Int,
                  isLive: (AppsV1.ControllerRevision) -> Bool) async throws {
        let dead = history.filter { !isLive($0) }
        guard limit >= 0, dead.count > limit else { return }
        for revision in dead.prefix(dead.count - limit) {
            do {
                try await resource(revision.metadata.namespace).delete(revision.metadata.name ?? "")
            } catch let error as APIStatusError where error.isNotFound {
                continue
            }
        }
    }
}
