import Testing

@testable import KubeModel

/// Two-way strategic merge patches (what kubectl sends) between Deployment documents. Each patch
/// must also turn the original into the modified document when applied.
@Suite("Strategic merge patch: create")
struct PatchStrategicCreateTests {
    static let cases: [PatchDiffCase] = [
        PatchDiffCase("nothing changed",
                      original: deploymentJSON(podSpec: #""containers":[{"name":"web","image":"nginx"}]"#),
                      modified: deploymentJSON(podSpec: #""containers":[{"name":"web","image":"nginx"}]"#),
                      patch: #"{}"#),
        PatchDiffCase("a scalar changes",
                      original: #"{"spec":{"replicas":1,"paused":false}}"#,
                      modified: #"{"spec":{"replicas":3,"paused":false}}"#,
                      patch: #"{"spec":{"replicas":3}}"#),
        PatchDiffCase("upstream: fields added and removed",
                      original: #"{"apiVersion":"apps/v1","kind":"Deployment"}"#,
                      modified: #"{"apiVersion":"apps/v1","metadata":{"name":"d"}}"#,
                      patch: #"{"kind":null,"metadata":{"name":"d"}}"#),
        PatchDiffCase("labels change key by key",
                      original: #"{"metadata":{"labels":{"app":"web","tier":"fe"}}}"#,
                      modified: #"{"metadata":{"labels":{"app":"web","env":"prod"}}}"#,
                      patch: #"{"metadata":{"labels":{"env":"prod","tier":null}}}"#),
        PatchDiffCase("a container's image changes",
                      original: deploymentJSON(podSpec: #""containers":[{"name":"web","image":"nginx:1"},{"name":"log","image":"busybox"}]"#),
                      modified: deploymentJSON(podSpec: #""containers":[{"name":"web","image":"nginx:2"},{"name":"log","image":"busybox"}]"#),
                      patch: deploymentJSON(podSpec: #""$setElementOrder/containers":[{"name":"web"},{"name":"log"}],"containers":[{"name":"web","image":"nginx:2"}]"#)),
        PatchDiffCase("a container is added",
                      original: deploymentJSON(podSpec: #""containers":[{"name":"web","image":"nginx"}]"#),
                      modified: deploymentJSON(podSpec: #""containers":[{"name":"web","image":"nginx"},{"name":"sidecar","image":"envoy"}]"#),
                      patch: deploymentJSON(podSpec: #""$setElementOrder/containers":[{"name":"web"},{"name":"sidecar"}],"containers":[{"name":"sidecar","image":"envoy"}]"#)),
        PatchDiffCase("a container is removed",
                      original: deploymentJSON(podSpec: #""containers":[{"name":"web"},{"name":"log"}]"#),
                      modified: deploymentJSON(podSpec: #""containers":[{"name":"web"}]"#),
                      patch: deploymentJSON(podSpec: #""$setElementOrder/containers":[{"name":"web"}],"containers":[{"name":"log","$patch":"delete"}]"#)),
        PatchDiffCase("containers are only reordered",
                      original: deploymentJSON(podSpec: #""containers":[{"name":"a"},{"name":"b"}]"#),
                      modified: deploymentJSON(podSpec: #""containers":[{"name":"b"},{"name":"a"}]"#),
                      patch: deploymentJSON(podSpec: #""$setElementOrder/containers":[{"name":"b"},{"name":"a"}]"#)),
        PatchDiffCase("containers are added, removed and reordered at once",
                      original: deploymentJSON(podSpec: #""containers":[{"name":"a"},{"name":"b"},{"name":"c"}]"#),
                      modified: deploymentJSON(podSpec: #""containers":[{"name":"c"},{"name":"d"},{"name":"a"}]"#),
                      patch: deploymentJSON(podSpec: #""$setElementOrder/containers":[{"name":"c"},{"name":"d"},{"name":"a"}],"containers":[{"name":"d"},{"name":"b","$patch":"delete"}]"#)),
        PatchDiffCase("every container is removed",
                      original: deploymentJSON(podSpec: #""containers":[{"name":"a"},{"name":"b"}]"#),
                      modified: deploymentJSON(podSpec: #""containers":[]"#),
                      patch: deploymentJSON(podSpec: #""containers":[{"name":"a","$patch":"delete"},{"name":"b","$patch":"delete"}]"#)),
        PatchDiffCase("an env var changes inside a container",
                      original: deploymentJSON(podSpec: #""containers":[{"name":"web","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]}]"#),
                      modified: deploymentJSON(podSpec: #""containers":[{"name":"web","env":[{"name":"A","value":"1"},{"name":"B","value":"3"}]}]"#),
                      patch: deploymentJSON(podSpec: #""$setElementOrder/containers":[{"name":"web"}],"containers":[{"name":"web","$setElementOrder/env":[{"name":"A"},{"name":"B"}],"env":[{"name":"B","value":"3"}]}]"#)),
        PatchDiffCase("a port gains a name",
                      original: deploymentJSON(podSpec: #""containers":[{"name":"web","ports":[{"containerPort":80}]}]"#),
                      modified: deploymentJSON(podSpec: #""containers":[{"name":"web","ports":[{"containerPort":80,"name":"http"}]}]"#),
                      patch: deploymentJSON(podSpec: #""$setElementOrder/containers":[{"name":"web"}],"containers":[{"name":"web","$setElementOrder/ports":[{"containerPort":80}],"ports":[{"containerPort":80,"name":"http"}]}]"#)),
        PatchDiffCase("upstream: finalizers added, removed and reordered",
                      original: #"{"metadata":{"finalizers":["a","b","c"]}}"#,
                      modified: #"{"metadata":{"finalizers":["b","d"]}}"#,
                      patch: #"{"metadata":{"$setElementOrder/finalizers":["b","d"],"$deleteFromPrimitiveList/finalizers":["a","c"],"finalizers":["d"]}}"#),
        PatchDiffCase("upstream: every finalizer removed",
                      original: #"{"metadata":{"finalizers":["a"]}}"#,
                      modified: #"{"metadata":{"finalizers":[]}}"#,
                      patch: #"{"metadata":{"$deleteFromPrimitiveList/finalizers":["a"]}}"#),
        PatchDiffCase("upstream: a list that was empty is sent whole",
                      original: #"{"metadata":{"finalizers":[]}}"#,
                      modified: #"{"metadata":{"finalizers":["a","b"]}}"#,
                      patch: #"{"metadata":{"finalizers":["a","b"]}}"#),
        PatchDiffCase("a list that was missing is sent whole",
                      original: #"{"metadata":{"name":"d"}}"#,
                      modified: #"{"metadata":{"name":"d","finalizers":["a"]}}"#,
                      patch: #"{"metadata":{"finalizers":["a"]}}"#),
        PatchDiffCase("an atomic list is sent whole",
                      original: deploymentJSON(podSpec: #""tolerations":[{"key":"a","operator":"Exists"},{"key":"b","operator":"Exists"}]"#),
                      modified: deploymentJSON(podSpec: #""tolerations":[{"key":"a","operator":"Exists"}]"#),
                      patch: deploymentJSON(podSpec: #""tolerations":[{"key":"a","operator":"Exists"}]"#)),
        PatchDiffCase("upstream: a retainKeys map lists the keys to keep (Recreate strategy)",
                      original: #"{"spec":{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%"}}}}"#,
                      modified: #"{"spec":{"strategy":{"type":"Recreate"}}}"#,
                      patch: #"{"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate","rollingUpdate":null}}}"#),
        PatchDiffCase("upstream: an unchanged retainKeys map is left out",
                      original: #"{"spec":{"replicas":1,"strategy":{"type":"Recreate"}}}"#,
                      modified: #"{"spec":{"replicas":2,"strategy":{"type":"Recreate"}}}"#,
                      patch: #"{"spec":{"replicas":2}}"#),
        PatchDiffCase("upstream: each changed volume lists the keys to keep",
                      original: deploymentJSON(podSpec: #""volumes":[{"name":"data","emptyDir":{}},{"name":"cfg","configMap":{"name":"c"}}]"#),
                      modified: deploymentJSON(podSpec: #""volumes":[{"name":"data","hostPath":{"path":"/srv"}},{"name":"cfg","configMap":{"name":"c"}}]"#),
                      patch: deploymentJSON(podSpec: #""$setElementOrder/volumes":[{"name":"data"},{"name":"cfg"}],"volumes":[{"$retainKeys":["hostPath","name"],"name":"data","hostPath":{"path":"/srv"},"emptyDir":null}]"#)),
        PatchDiffCase("a value of another type is sent whole",
                      original: #"{"spec":{"strategy":{"rollingUpdate":{"maxSurge":1}}}}"#,
                      modified: #"{"spec":{"strategy":{"rollingUpdate":{"maxSurge":"25%"}}}}"#,
                      patch: #"{"spec":{"strategy":{"$retainKeys":["rollingUpdate"],"rollingUpdate":{"maxSurge":"25%"}}}}"#),
        PatchDiffCase("numbers compare by value",
                      original: #"{"spec":{"replicas":2}}"#,
                      modified: #"{"spec":{"replicas":2.0}}"#,
                      patch: #"{}"#),
    ]

    @Test(arguments: cases)
    func creates(_ testCase: PatchDiffCase) throws {
        let patcher = try strategicPatcher("io.k8s.api.apps.v1.Deployment")
        let original = try parsePatchJSON(testCase.original)
        let modified = try parsePatchJSON(testCase.modified)
        let patch = try patcher.create(original: original, modified: modified)
        expectSameDocument(patch, try parsePatchJSON(testCase.patch))
        expectSameDocument(try patcher.apply(patch, to: original), modified)
    }

    @Test("A replace-strategy map is sent whole when it changes")
    func replaceStrategy() throws {
        let patcher = try strategicPatcher("io.k8s.api.policy.v1.PodDisruptionBudget")
        let original = try parsePatchJSON(#"{"spec":{"selector":{"matchLabels":{"app":"web","tier":"fe"}}}}"#)
        let modified = try parsePatchJSON(#"{"spec":{"selector":{"matchLabels":{"app":"web"}}}}"#)
        let patch = try patcher.create(original: original, modified: modified)
        expectSameDocument(patch, try parsePatchJSON(#"{"spec":{"selector":{"matchLabels":{"app":"web"}}}}"#))
        expectSameDocument(try patcher.apply(patch, to: original), modified)
        expectSameDocument(try patcher.create(original: original, modified: original), [:])
    }

    @Test("Service ports diff by port")
    func servicePorts() throws {
        let patcher = try strategicPatcher("io.k8s.api.core.v1.Service")
        let original = try parsePatchJSON(#"{"spec":{"ports":[{"port":80,"targetPort":8080},{"port":443}]}}"#)
        let modified = try parsePatchJSON(#"{"spec":{"ports":[{"port":80,"targetPort":"http"}]}}"#)
        let patch = try patcher.create(original: original, modified: modified)
        expectSameDocument(patch, try parsePatchJSON(
            #"{"spec":{"$setElementOrder/ports":[{"port":80}],"ports":[{"port":80,"targetPort":"http"},{"port":443,"$patch":"delete"}]}}"#))
        expectSameDocument(try patcher.apply(patch, to: original), modified)
    }

    static let failureCases: [PatchFailureCase] = [
        PatchFailureCase("a modified container without a name",
                         original: deploymentJSON(podSpec: #""containers":[{"name":"a"}]"#),
                         modified: deploymentJSON(podSpec: #""containers":[{"image":"b"}]"#),
                         kind: .notApplicable, message: "does not contain declared merge key: name"),
        PatchFailureCase("list element types differ",
                         original: #"{"metadata":{"finalizers":["a"]}}"#,
                         modified: #"{"metadata":{"finalizers":[1]}}"#,
                         kind: .notApplicable, message: "list element types are not identical"),
        PatchFailureCase("not an object",
                         original: #"{}"#,
                         modified: #"[1]"#,
                         kind: .malformedPatch, message: "expected an object"),
    ]

    @Test(arguments: failureCases)
    func fails(_ testCase: PatchFailureCase) throws {
        let patcher = try strategicPatcher("io.k8s.api.apps.v1.Deployment")
        let original = try parsePatchJSON(testCase.original)
        let modified = try parsePatchJSON(testCase.patch)
        let error = patchError { _ = try patcher.create(original: original, modified: modified) }
        #expect(error?.kind == testCase.kind)
        #expect(error?.message.contains(testCase.message) == true, "message: \(error?.message ?? "none")")
    }
}
