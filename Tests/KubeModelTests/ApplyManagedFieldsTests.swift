import Testing

@testable import KubeModel

private let t1 = "2024-05-01T10:00:00Z"
private let t2 = "2024-05-01T11:00:00Z"
private let t3 = "2024-05-01T12:00:00Z"

/// A Deployment configuration as a user would apply it.
private func deployment(replicas: Int64? = 3, image: String = "nginx:1.25", labels: String = #"{"app":"nginx"}"#) -> JSONValue {
    var config = applyTestJSON(#"""
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"nginx","namespace":"default","labels":\#(labels)},
         "spec":{"selector":{"matchLabels":{"app":"nginx"}},
           "template":{"metadata":{"labels":{"app":"nginx"}},
             "spec":{"containers":[{"name":"nginx","image":"\#(image)","ports":[{"containerPort":80}]}]}}}}
        """#)
    if let replicas { config = setting(.int(replicas), at: ["spec", "replicas"], in: config) }
    return config
}

private func apply(
    _ config: JSONValue, to live: JSONValue?, as manager: String, force: Bool = false, at time: String = t1,
    ignoring ignored: FieldSet = FieldSet()
) throws -> JSONValue {
    try ManagedFields.apply(
        live: live, config: config, manager: manager, force: force, apiVersion: "apps/v1", time: time,
        schema: applyTestDeploymentSchema, ignoredFields: ignored)
}

private func update(_ new: JSONValue, from live: JSONValue?, as manager: String, at time: String = t1) -> JSONValue {
    ManagedFields.applyUpdate(live: live, new: new, manager: manager, apiVersion: "apps/v1", time: time, schema: applyTestDeploymentSchema)
}

/// Each manager's fields as FieldsV1 text, keyed "manager/operation".
private func ownership(_ object: JSONValue) throws -> [String: String] {
    var result: [String: String] = [:]
    for entry in try ManagedFields.ownership(of: object) {
        result["\(entry.manager)/\(entry.operation)"] = entry.fields.fieldsV1JSON
    }
    return result
}

private func withoutManagedFields(_ object: JSONValue) -> JSONValue {
    setting(nil, at: ["metadata", "managedFields"], in: object)
}

/// `object` with the value at a path of field names replaced (nil removes it).
private func setting(_ value: JSONValue?, at path: [String], in object: JSONValue) -> JSONValue {
    guard let name = path.first else { return value ?? .null }
    var result = object
    if path.count == 1 {
        result[name] = value
    } else {
        result[name] = setting(value, at: Array(path.dropFirst()), in: object[name] ?? .object([:]))
    }
    return result
}

@Suite("Apply: server-side apply and managed fields")
struct ApplyManagedFieldsTests {
    static let appliedDeploymentFields = #"{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:replicas":{},"f:selector":{},"f:template":{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"nginx\"}":{".":{},"f:image":{},"f:name":{},"f:ports":{"k:{\"containerPort\":80,\"protocol\":\"TCP\"}":{".":{},"f:containerPort":{}}}}}}}}}"#

    @Test func applyCreatesTheObjectAndRecordsTheApplier() throws {
        let created = try apply(deployment(), to: nil, as: "kubectl")
        #expect(withoutManagedFields(created).isSemanticallyEqual(to: deployment()))
        let entries = created["metadata"]?["managedFields"]
        #expect(entries.map(JSONWriter.string) == #"[{"manager":"kubectl","operation":"Apply","apiVersion":"apps/v1","time":"2024-05-01T10:00:00Z","fieldsType":"FieldsV1","fieldsV1":\#(Self.appliedDeploymentFields)}]"#)
    }

    @Test func reapplyWithoutAFieldRemovesIt() throws {
        let created = try apply(deployment(), to: nil, as: "kubectl")
        let reapplied = try apply(deployment(replicas: nil, labels: "{}"), to: created, as: "kubectl", at: t2)
        #expect(reapplied["spec"]?["replicas"] == nil)
        #expect(reapplied["metadata"]?["labels"] == nil)
        let fields = try #require(try ownership(reapplied)["kubectl/Apply"])
        #expect(!fields.contains("f:replicas"))
        #expect(fields.contains(#""f:labels":{}"#), "an empty map applied is owned as a leaf")
        #expect(try ManagedFields.ownership(of: reapplied).first?.time == t2)
    }

    @Test func removedFieldStaysWhenAnotherManagerOwnsIt() throws {
        let created = try apply(deployment(), to: nil, as: "kubectl")
        // A second applier also applies the same replicas value: shared ownership, no conflict.
        let shared = try apply(
            applyTestJSON(#"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"nginx"},"spec":{"replicas":3}}"#),
            to: created, as: "autoscaler", at: t2)
        let reapplied = try apply(deployment(replicas: nil), to: shared, as: "kubectl", at: t3)
        #expect(reapplied["spec"]?["replicas"] == 3)
        #expect(try ownership(reapplied)["autoscaler/Apply"] == #"{"f:spec":{"f:replicas":{}}}"#)
    }

    @Test func appliersOfDifferentFieldsCoexist() throws {
        let created = try apply(deployment(), to: nil, as: "kubectl")
        let annotated = try apply(
            applyTestJSON(#"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"nginx","annotations":{"team":"web"}}}"#),
            to: created, as: "annotator", at: t2)
        #expect(annotated["metadata"]?["annotations"]?["team"] == "web")
        #expect(annotated["spec"]?["replicas"] == 3)
        let owners = try ownership(annotated)
        #expect(owners["kubectl/Apply"] == Self.appliedDeploymentFields)
        #expect(owners["annotator/Apply"] == #"{"f:metadata":{"f:annotations":{"f:team":{}}}}"#)
        // Appliers sort by time.
        #expect(try ManagedFields.ownership(of: annotated).map(\.manager) == ["kubectl", "annotator"])
        // kubectl re-applying its own configuration leaves the annotation alone.
        let reapplied = try apply(deployment(), to: annotated, as: "kubectl", at: t3)
        #expect(reapplied["metadata"]?["annotations"]?["team"] == "web")
    }

    /// A client-side `kubectl apply` created the object (an Update); server-side apply of a
    /// different replica count conflicts with it, with upstream's exact wording.
    @Test func conflictWithAnUpdaterNamesItsVersion() throws {
        let created = update(deployment(), from: nil, as: "kubectl-client-side-apply")
        #expect {
            try apply(deployment(replicas: 5), to: created, as: "kubectl", at: t2)
        } throws: { error in
            guard let conflict = error as? ApplyConflict else { return false }
            let status = conflict.status
            return conflict.message
                == #"Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas"#
                && status.code == 409 && status.reason == "Conflict" && status.status == "Failure"
                && status.message == conflict.message
                && status.details?.causes == [
                    MetaV1.StatusCause(
                        field: ".spec.replicas", message: #"conflict with "kubectl-client-side-apply" using apps/v1"#,
                        reason: "FieldManagerConflict"),
                ]
        }
        // Applying the values the updater already set is no conflict: ownership is shared.
        let agreed = try apply(deployment(), to: created, as: "kubectl", at: t2)
        #expect(try ownership(agreed)["kubectl/Apply"] == Self.appliedDeploymentFields)
        #expect(try ownership(agreed)["kubectl-client-side-apply/Update"]?.contains("f:replicas") == true)
    }

    @Test func severalConflictsAreGroupedByManager() throws {
        let created = try apply(deployment(), to: nil, as: "kubectl")
        var scaledTo4 = deployment(replicas: 4)
        scaledTo4["metadata"] = created["metadata"]
        let scaled = update(scaledTo4, from: created, as: "kubectl-edit", at: t2)
        #expect {
            try apply(deployment(replicas: 5, image: "nginx:1.27"), to: scaled, as: "ci", at: t3)
        } throws: { error in
            (error as? ApplyConflict)?.message == """
                Apply failed with 2 conflicts: conflicts with "kubectl":
                - .spec.template.spec.containers[name="nginx"].image
                conflicts with "kubectl-edit" using apps/v1:
                - .spec.replicas
                """
        }
    }

    @Test func forceTakesOwnership() throws {
        let created = update(deployment(), from: nil, as: "kubectl-client-side-apply")
        let forced = try apply(deployment(replicas: 5), to: created, as: "kubectl", force: true, at: t2)
        #expect(forced["spec"]?["replicas"] == 5)
        let owners = try ownership(forced)
        #expect(owners["kubectl/Apply"] == Self.appliedDeploymentFields)
        #expect(owners["kubectl-client-side-apply/Update"]?.contains("f:replicas") == false)
        #expect(owners["kubectl-client-side-apply/Update"]?.contains("f:image") == true)
    }

    @Test func containersMergeByName() throws {
        let created = try apply(deployment(), to: nil, as: "kubectl")
        let sidecar = applyTestJSON(#"""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"nginx"},
             "spec":{"template":{"spec":{"containers":[{"name":"log","image":"busybox"}]}}}}
            """#)
        let withSidecar = try apply(sidecar, to: created, as: "injector", at: t2)
        let names = withSidecar["spec"]?["template"]?["spec"]?["containers"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
        #expect(names == ["nginx", "log"])
        #expect(try ownership(withSidecar)["injector/Apply"]
            == #"{"f:spec":{"f:template":{"f:spec":{"f:containers":{"k:{\"name\":\"log\"}":{".":{},"f:image":{},"f:name":{}}}}}}}"#)
        // kubectl changes its container's image; the sidecar stays, untouched.
        let upgraded = try apply(deployment(image: "nginx:1.26"), to: withSidecar, as: "kubectl", at: t3)
        let containers = upgraded["spec"]?["template"]?["spec"]?["containers"]?.arrayValue ?? []
        #expect(containers.map { $0["image"] } == ["nginx:1.26", "busybox"])
        // The injector stops applying its container: it goes.
        let empty = applyTestJSON(#"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"nginx"}}"#)
        let withdrawn = try apply(empty, to: upgraded, as: "injector", at: t3)
        #expect(withdrawn["spec"]?["template"]?["spec"]?["containers"]?.arrayValue?.count == 1)
        #expect(try ownership(withdrawn)["injector/Apply"] == nil)
    }

    @Test func finalizersMergeAsASet() throws {
        func finalizers(_ values: String) -> JSONValue {
            applyTestJSON(#"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"nginx","finalizers":\#(values)}}"#)
        }
        let first = try apply(finalizers(#"["example.com/a"]"#), to: nil, as: "a")
        let both = try apply(finalizers(#"["example.com/b"]"#), to: first, as: "b", at: t2)
        #expect(both["metadata"]?["finalizers"] == ["example.com/a", "example.com/b"])
        #expect(try ownership(both)["b/Apply"] == #"{"f:metadata":{"f:finalizers":{"v:\"example.com/b\"":{}}}}"#)
        let withdrawn = try apply(finalizers("[]"), to: both, as: "a", at: t3)
        #expect(withdrawn["metadata"]?["finalizers"] == ["example.com/b"])
    }

    @Test func atomicListsAreReplacedWhole() throws {
        func args(_ values: String) -> JSONValue {
            applyTestJSON(#"""
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"nginx"},
                 "spec":{"template":{"spec":{"containers":[{"name":"nginx","args":\#(values)}]}}}}
                """#)
        }
        let first = try apply(args(#"["-a","-b"]"#), to: nil, as: "a")
        #expect {
            try apply(args(#"["-c"]"#), to: first, as: "b", at: t2)
        } throws: { error in
            (error as? ApplyConflict)?.conflicts.map(\.path.description) == [#".spec.template.spec.containers[name="nginx"].args"#]
        }
        let replaced = try apply(args(#"["-c"]"#), to: first, as: "b", force: true, at: t2)
        #expect(replaced["spec"]?["template"]?["spec"]?["containers"]?.arrayValue?.first?["args"] == ["-c"])
        #expect(try ownership(replaced)["a/Apply"]?.contains("f:args") == false)
    }

    @Test func updateAfterApplyTakesTheChangedFields() throws {
        let created = try apply(deployment(), to: nil, as: "kubectl")
        var scaled = withoutManagedFields(created)
        scaled = setting(7, at: ["spec", "replicas"], in: scaled)
        scaled["metadata"] = created["metadata"]
        let updated = update(scaled, from: created, as: "kubectl-scale", at: t2)
        let owners = try ownership(updated)
        #expect(owners["kubectl-scale/Update"] == #"{"f:spec":{"f:replicas":{}}}"#)
        #expect(owners["kubectl/Apply"]?.contains("f:replicas") == false)
        let entries = try ManagedFields.ownership(of: updated)
        // Apply entries come before Update entries; each records the time it last changed something.
        #expect(entries.map(\.operation) == ["Apply", "Update"])
        #expect(entries.map(\.time) == [t1, t2])
        // kubectl applying its old replica count now conflicts with the updater.
        #expect {
            try apply(deployment(), to: updated, as: "kubectl", at: t3)
        } throws: { error in
            (error as? ApplyConflict)?.message
                == #"Apply failed with 1 conflict: conflict with "kubectl-scale" using apps/v1: .spec.replicas"#
        }
    }

    @Test func updaterLosingEveryFieldLosesItsEntry() throws {
        var scaledTo4 = deployment()
        scaledTo4 = setting(4, at: ["spec", "replicas"], in: scaledTo4)
        let created = update(deployment(), from: nil, as: "creator")
        let scaled = update(scaledTo4, from: created, as: "scaler", at: t2)
        var scaledTo5 = scaledTo4
        scaledTo5["metadata"] = scaled["metadata"]
        scaledTo5 = setting(5, at: ["spec", "replicas"], in: scaledTo5)
        let rescaled = update(scaledTo5, from: scaled, as: "other-scaler", at: t3)
        let owners = try ownership(rescaled)
        #expect(owners["scaler/Update"] == nil)
        #expect(owners["other-scaler/Update"] == #"{"f:spec":{"f:replicas":{}}}"#)
        #expect(owners["creator/Update"]?.contains("f:image") == true)
    }

    @Test func updateRecordsNewMapsAndItemsAsOwned() throws {
        let created = update(deployment(), from: nil, as: "kubectl-create")
        let fields = try #require(try ManagedFields.ownership(of: created).first?.fields)
        // Like upstream: a map or list item that appears is owned itself (`.`), and metadata
        // the server manages (name, namespace) is never owned.
        #expect(fields.contains(FieldSetPath(fields: "metadata", "labels")))
        #expect(fields.contains(FieldSetPath([.field("spec"), .field("template"), .field("spec"), .field("containers"), .key(["name": "nginx"])])))
        #expect(!fields.contains(FieldSetPath(fields: "metadata", "name")))
        #expect(!fields.contains(FieldSetPath(fields: "metadata", "namespace")))
        #expect(!fields.contains(FieldSetPath(fields: "metadata")))
    }

    @Test func updateWithoutChangesKeepsEntriesAndTimes() throws {
        let created = update(deployment(), from: nil, as: "kubectl-create")
        var same = deployment()
        same["metadata"] = created["metadata"]
        same = setting("42", at: ["metadata", "resourceVersion"], in: same)
        let updated = update(same, from: created, as: "kubectl-edit", at: t2)
        #expect(try ManagedFields.ownership(of: updated).map(\.manager) == ["kubectl-create"])
        #expect(try ManagedFields.ownership(of: updated).map(\.time) == [t1])
    }

    @Test func updateCanClearManagedFields() throws {
        let created = update(deployment(), from: nil, as: "kubectl-create")
        var cleared = created
        cleared = setting([], at: ["metadata", "managedFields"], in: cleared)
        let updated = update(cleared, from: created, as: "kubectl-edit", at: t2)
        #expect(updated["metadata"]?["managedFields"] == nil)
    }

    @Test func ignoredFieldsAreNeitherOwnedNorChanged() throws {
        var withStatus = deployment()
        withStatus["status"] = ["replicas": 9]
        let created = try apply(withStatus, to: nil, as: "kubectl", ignoring: FieldSet([FieldSetPath(fields: "status")]))
        #expect(created["status"] == nil)
        #expect(try ownership(created)["kubectl/Apply"] == Self.appliedDeploymentFields)
    }

    @Test func noOpApplyKeepsTheObjectAndTime() throws {
        let created = try apply(deployment(), to: nil, as: "kubectl")
        let again = try apply(deployment(), to: created, as: "kubectl", at: t2)
        #expect(again == created)
    }

    @Test func applyRejectsBadRequests() throws {
        var otherVersion = deployment()
        otherVersion["apiVersion"] = "apps/v1beta2"
        #expect(throws: ManagedFieldsError.badRequest(
            "Incorrect version specified in apply patch. Specified patch version: apps/v1beta2, expected: apps/v1")
        ) { try apply(otherVersion, to: nil, as: "kubectl") }
        var withManagedFields = deployment()
        withManagedFields = setting([], at: ["metadata", "managedFields"], in: withManagedFields)
        #expect(throws: ManagedFieldsError.badRequest("metadata.managedFields must be nil")) {
            try apply(withManagedFields, to: nil, as: "kubectl")
        }
        var duplicate = deployment()
        let container = duplicate["spec"]?["template"]?["spec"]?["containers"]?.arrayValue?.first ?? .null
        duplicate = setting([container, container], at: ["spec", "template", "spec", "containers"], in: duplicate)
        #expect {
            try apply(duplicate, to: nil, as: "kubectl")
        } throws: { error in
            guard let error = error as? ManagedFieldsError else { return false }
            return error.code == 500 && error.message == #"failed to create typed patch object (apps/v1, Kind=Deployment; default/nginx): .spec.template.spec.containers: duplicate entries for key [name="nginx"]"#
        }
    }

    @Test func portsMatchTheServerDefaultedProtocol() throws {
        let created = try apply(deployment(), to: nil, as: "kubectl")
        // The server defaults the protocol the configuration left out; the item keeps its key.
        var container = created["spec"]?["template"]?["spec"]?["containers"]?.arrayValue?.first ?? .null
        container["ports"] = [["containerPort": 80, "protocol": "TCP"]]
        let live = setting([container], at: ["spec", "template", "spec", "containers"], in: created)
        let reapplied = try apply(deployment(), to: live, as: "kubectl", at: t2)
        #expect(reapplied == live)
    }

    @Test func statusSubresourceManagersAreTheirOwn() throws {
        let statusOnly = FieldSet([FieldSetPath(fields: "spec")])
        func applyStatus(_ replicas: Int64, as manager: String, to live: JSONValue, force: Bool = false) throws -> JSONValue {
            let config = applyTestJSON(#"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"nginx"},"status":{"replicas":\#(replicas)}}"#)
            return try ManagedFields.apply(
                live: live, config: config, manager: manager, force: force, apiVersion: "apps/v1", time: t2,
                schema: applyTestDeploymentSchema, ignoredFields: statusOnly, subresource: "status")
        }
        let created = try apply(deployment(), to: nil, as: "kubectl")
        let reported = try applyStatus(3, as: "controller", to: created)
        #expect(reported["status"]?["replicas"] == 3)
        let entry = try #require(try ManagedFields.ownership(of: reported).first { $0.manager == "controller" })
        #expect(entry.subresource == "status")
        #expect(entry.json["subresource"] == "status")
        #expect {
            try applyStatus(4, as: "other", to: reported)
        } throws: { error in
            (error as? ApplyConflict)?.message
                == #"Apply failed with 1 conflict: conflict with "controller" with subresource "status": .status.replicas"#
        }
    }

    @Test func oldestUpdatersMergeIntoAncientChanges() throws {
        var object = update(deployment(), from: nil, as: "creator", at: "2024-05-01T00:00:00Z")
        for index in 1...11 {
            var next = object
            next = setting(.string("yes"), at: ["metadata", "annotations", "writer-\(index)"], in: next)
            object = update(next, from: object, as: "writer-\(index)", at: "2024-05-01T00:\(10 + index):00Z")
        }
        let managers = try ManagedFields.ownership(of: object).map(\.manager)
        #expect(managers.count == ManagedFields.maximumUpdateManagers)
        #expect(managers.first == "ancient-changes")
        #expect(!managers.contains("creator") && !managers.contains("writer-1") && !managers.contains("writer-2"))
        let ancient = try #require(try ManagedFields.ownership(of: object).first)
        #expect(ancient.fields.contains(FieldSetPath(fields: "spec", "replicas")))
        #expect(ancient.fields.contains(FieldSetPath(fields: "metadata", "annotations", "writer-2")))
    }
}

@Suite("Apply: structured merge")
struct ApplyStructuredMergeTests {
    /// Items the configuration does not mention keep their place among the ones around them;
    /// shared items follow the configuration's order.
    @Test(arguments: [
        (#"["a","x","b"]"#, #"["b","a"]"#, #"["x","b","a"]"#),
        (#"["a","b"]"#, #"["c"]"#, #"["a","b","c"]"#),
        (#"["a","b","c"]"#, #"["b","d"]"#, #"["a","b","c","d"]"#),
        (#"["a","b","c"]"#, #"["d","c","a"]"#, #"["b","d","c","a"]"#),
        ("[]", #"["a"]"#, #"["a"]"#),
    ])
    func setItemOrder(live: String, config: String, merged: String) throws {
        let schema = MergeSchema(applyTestJSON(#"{"t":"array","lt":"set","items":{"t":"string"}}"#))
        let result = try StructuredMerge.merge(applyTestJSON(live), applyTestJSON(config), schema: schema)
        #expect(result.map(JSONWriter.string) == merged)
    }

    @Test func comparisonRecordsContainersThatAppearOrGo() throws {
        let schema = MergeSchema(applyTestDeploymentSchema)
        let old = applyTestJSON(#"{"spec":{"replicas":1,"paused":true}}"#)
        let new = applyTestJSON(#"{"spec":{"replicas":2,"strategy":{"rollingUpdate":{"maxSurge":1}}}}"#)
        let comparison = try StructuredComparison(from: old, to: new, schema: schema)
        #expect(comparison.modified.fieldsV1JSON == #"{"f:spec":{"f:replicas":{}}}"#)
        #expect(comparison.removed.fieldsV1JSON == #"{"f:spec":{"f:paused":{}}}"#)
        #expect(comparison.added.fieldsV1JSON == #"{"f:spec":{"f:strategy":{".":{},"f:rollingUpdate":{".":{},"f:maxSurge":{}}}}}"#)
    }
}
