import Testing

@testable import KubeModel

private let deploymentDefinition = "io.k8s.api.apps.v1.Deployment"
private let podDefinition = "io.k8s.api.core.v1.Pod"
private let serviceDefinition = "io.k8s.api.core.v1.Service"

/// Strategic merge patches applied to documents of real kinds, with the schemas from SchemaCatalog.
/// Cases marked "upstream" restate the examples of upstream's strategicpatch tests and docs.
@Suite("Strategic merge patch: apply")
struct PatchStrategicMergeTests {
    static let listCases: [PatchCase] = [
        PatchCase("containers merge by name",
                  original: deploymentJSON(podSpec: #""containers":[{"name":"web","image":"nginx:1.0","ports":[{"containerPort":80}]},{"name":"log","image":"busybox"}]"#),
                  patch: deploymentJSON(podSpec: #""containers":[{"name":"web","image":"nginx:1.1"}]"#),
                  expected: deploymentJSON(podSpec: #""containers":[{"name":"web","image":"nginx:1.1","ports":[{"containerPort":80}]},{"name":"log","image":"busybox"}]"#)),
        PatchCase("upstream: a container new to the list comes first (kubectl patch docs)",
                  original: deploymentJSON(podSpec: #""containers":[{"name":"patch-demo-ctr","image":"nginx"}]"#),
                  patch: deploymentJSON(podSpec: #""containers":[{"name":"patch-demo-ctr-2","image":"redis"}]"#),
                  expected: deploymentJSON(podSpec: #""containers":[{"name":"patch-demo-ctr-2","image":"redis"},{"name":"patch-demo-ctr","image":"nginx"}]"#)),
        PatchCase("env merges by name inside a merged container",
                  original: deploymentJSON(podSpec: #""containers":[{"name":"web","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]}]"#),
                  patch: deploymentJSON(podSpec: #""containers":[{"name":"web","env":[{"name":"B","value":"3"},{"name":"C","value":"4"}]}]"#),
                  expected: deploymentJSON(podSpec: #""containers":[{"name":"web","env":[{"name":"A","value":"1"},{"name":"B","value":"3"},{"name":"C","value":"4"}]}]"#)),
        PatchCase("an env var switches from value to valueFrom",
                  original: deploymentJSON(podSpec: #""containers":[{"name":"web","env":[{"name":"B","value":"2"}]}]"#),
                  patch: deploymentJSON(podSpec: #""containers":[{"name":"web","env":[{"name":"B","value":null,"valueFrom":{"fieldRef":{"fieldPath":"spec.nodeName"}}}]}]"#),
                  expected: deploymentJSON(podSpec: #""containers":[{"name":"web","env":[{"name":"B","valueFrom":{"fieldRef":{"fieldPath":"spec.nodeName"}}}]}]"#)),
        PatchCase("ports merge by containerPort",
                  original: deploymentJSON(podSpec: #""containers":[{"name":"web","ports":[{"containerPort":80,"protocol":"TCP"},{"containerPort":9090}]}]"#),
                  patch: deploymentJSON(podSpec: #""containers":[{"name":"web","ports":[{"containerPort":80,"name":"http"}]}]"#),
                  expected: deploymentJSON(podSpec: #""containers":[{"name":"web","ports":[{"containerPort":80,"protocol":"TCP","name":"http"},{"containerPort":9090}]}]"#)),
        PatchCase("volumeMounts merge by mountPath",
                  original: deploymentJSON(podSpec: #""containers":[{"name":"web","volumeMounts":[{"mountPath":"/data","name":"data"}]}]"#),
                  patch: deploymentJSON(podSpec: #""containers":[{"name":"web","volumeMounts":[{"mountPath":"/data","readOnly":true}]}]"#),
                  expected: deploymentJSON(podSpec: #""containers":[{"name":"web","volumeMounts":[{"mountPath":"/data","name":"data","readOnly":true}]}]"#)),
        PatchCase("initContainers and containers merge separately",
                  original: deploymentJSON(podSpec: #""initContainers":[{"name":"init","image":"a"}],"containers":[{"name":"web","image":"b"}]"#),
                  patch: deploymentJSON(podSpec: #""initContainers":[{"name":"init","image":"a2"}]"#),
                  expected: deploymentJSON(podSpec: #""initContainers":[{"name":"init","image":"a2"}],"containers":[{"name":"web","image":"b"}]"#)),
        PatchCase("resource limits merge as a map of quantities",
                  original: deploymentJSON(podSpec: #""containers":[{"name":"web","resources":{"limits":{"cpu":"1"},"requests":{"cpu":"100m"}}}]"#),
                  patch: deploymentJSON(podSpec: #""containers":[{"name":"web","resources":{"limits":{"memory":"1Gi"},"requests":null}}]"#),
                  expected: deploymentJSON(podSpec: #""containers":[{"name":"web","resources":{"limits":{"cpu":"1","memory":"1Gi"}}}]"#)),
        PatchCase("volumes merge by name",
                  original: deploymentJSON(podSpec: #""volumes":[{"name":"data","emptyDir":{}},{"name":"cfg","configMap":{"name":"c"}}]"#),
                  patch: deploymentJSON(podSpec: #""volumes":[{"name":"cfg","configMap":{"name":"d"}}]"#),
                  expected: deploymentJSON(podSpec: #""volumes":[{"name":"data","emptyDir":{}},{"name":"cfg","configMap":{"name":"d"}}]"#)),
        PatchCase("upstream: without $retainKeys a volume keeps its old source too",
                  original: deploymentJSON(podSpec: #""volumes":[{"name":"data","emptyDir":{}}]"#),
                  patch: deploymentJSON(podSpec: #""volumes":[{"name":"data","hostPath":{"path":"/srv"}}]"#),
                  expected: deploymentJSON(podSpec: #""volumes":[{"name":"data","emptyDir":{},"hostPath":{"path":"/srv"}}]"#)),
        PatchCase("imagePullSecrets merge by name",
                  original: deploymentJSON(podSpec: #""imagePullSecrets":[{"name":"a"}]"#),
                  patch: deploymentJSON(podSpec: #""imagePullSecrets":[{"name":"b"},{"name":"a"}]"#),
                  expected: deploymentJSON(podSpec: #""imagePullSecrets":[{"name":"b"},{"name":"a"}]"#)),
        PatchCase("topologySpreadConstraints merge by topologyKey",
                  original: deploymentJSON(podSpec: #""topologySpreadConstraints":[{"topologyKey":"zone","maxSkew":1,"whenUnsatisfiable":"DoNotSchedule"}]"#),
                  patch: deploymentJSON(podSpec: #""topologySpreadConstraints":[{"topologyKey":"zone","maxSkew":2}]"#),
                  expected: deploymentJSON(podSpec: #""topologySpreadConstraints":[{"topologyKey":"zone","maxSkew":2,"whenUnsatisfiable":"DoNotSchedule"}]"#)),
        PatchCase("tolerations have no merge strategy and are replaced",
                  original: deploymentJSON(podSpec: #""tolerations":[{"key":"a","operator":"Exists"}]"#),
                  patch: deploymentJSON(podSpec: #""tolerations":[{"key":"b","operator":"Exists","effect":"NoSchedule"}]"#),
                  expected: deploymentJSON(podSpec: #""tolerations":[{"key":"b","operator":"Exists","effect":"NoSchedule"}]"#)),
        PatchCase("args are an atomic list of strings",
                  original: deploymentJSON(podSpec: #""containers":[{"name":"web","args":["a","b"]}]"#),
                  patch: deploymentJSON(podSpec: #""containers":[{"name":"web","args":["c"]}]"#),
                  expected: deploymentJSON(podSpec: #""containers":[{"name":"web","args":["c"]}]"#)),
        PatchCase("upstream: the patch's order beats the server's",
                  original: deploymentJSON(podSpec: #""containers":[{"name":"1"},{"name":"2","image":"b"},{"name":"3"}]"#),
                  patch: deploymentJSON(podSpec: #""containers":[{"name":"3","image":"c"},{"name":"1","image":"a"},{"name":"2","args":["x"]}]"#),
                  expected: deploymentJSON(podSpec: #""containers":[{"name":"3","image":"c"},{"name":"1","image":"a"},{"name":"2","image":"b","args":["x"]}]"#)),
        PatchCase("upstream: server-only items keep their place ahead of what followed them",
                  original: deploymentJSON(podSpec: #""containers":[{"name":"1"},{"name":"2","image":"b"},{"name":"3"}]"#),
                  patch: deploymentJSON(podSpec: #""containers":[{"name":"3","image":"c"},{"name":"1","image":"a"}]"#),
                  expected: deploymentJSON(podSpec: #""containers":[{"name":"2","image":"b"},{"name":"3","image":"c"},{"name":"1","image":"a"}]"#)),
        PatchCase("upstream: $patch delete removes every duplicate",
                  original: deploymentJSON(podSpec: #""containers":[{"name":"web","env":[{"name":"A"},{"name":"A"},{"name":"B","value":"x"},{"name":"C"},{"name":"C"}]}]"#),
                  patch: deploymentJSON(podSpec: #""containers":[{"name":"web","env":[{"name":"A","$patch":"delete"},{"name":"C","$patch":"delete"}]}]"#),
                  expected: deploymentJSON(podSpec: #""containers":[{"name":"web","env":[{"name":"B","value":"x"}]}]"#)),
        PatchCase("upstream: merging empty lists",
                  original: deploymentJSON(podSpec: #""containers":[]"#),
                  patch: deploymentJSON(podSpec: #""containers":[]"#),
                  expected: deploymentJSON(podSpec: #""containers":[]"#)),
        PatchCase("a patch list merged into a missing list is taken, cleaned of directives and nulls",
                  original: deploymentJSON(podSpec: #""restartPolicy":"Always""#),
                  patch: deploymentJSON(podSpec: #""containers":[{"name":"a","$patch":"delete"},{"name":"b","env":[{"name":"X","value":null}]}]"#),
                  expected: deploymentJSON(podSpec: #""restartPolicy":"Always","containers":[{"name":"b","env":[{"name":"X"}]}]"#)),
        PatchCase("null removes a list",
                  original: deploymentJSON(podSpec: #""containers":[{"name":"a"}],"volumes":[{"name":"v"}]"#),
                  patch: deploymentJSON(podSpec: #""volumes":null"#),
                  expected: deploymentJSON(podSpec: #""containers":[{"name":"a"}]"#)),
    ]

    static let primitiveListCases: [PatchCase] = [
        PatchCase("upstream: finalizers merge as a set",
                  original: #"{"metadata":{"finalizers":["a","b"]}}"#,
                  patch: #"{"metadata":{"finalizers":["b","c"]}}"#,
                  expected: #"{"metadata":{"finalizers":["a","b","c"]}}"#),
        PatchCase("finalizers only the patch names lead, as upstream orders them",
                  original: #"{"metadata":{"finalizers":["a","b"]}}"#,
                  patch: #"{"metadata":{"finalizers":["c"]}}"#,
                  expected: #"{"metadata":{"finalizers":["c","a","b"]}}"#),
        PatchCase("upstream: the patch's order of primitives beats the server's",
                  original: #"{"metadata":{"finalizers":["1","2","3"]}}"#,
                  patch: #"{"metadata":{"finalizers":["3","1"]}}"#,
                  expected: #"{"metadata":{"finalizers":["2","3","1"]}}"#),
        PatchCase("duplicates collapse",
                  original: #"{"metadata":{"finalizers":["a","a"]}}"#,
                  patch: #"{"metadata":{"finalizers":["b","b"]}}"#,
                  expected: #"{"metadata":{"finalizers":["b","a"]}}"#),
        PatchCase("upstream: $deleteFromPrimitiveList removes every copy",
                  original: #"{"metadata":{"finalizers":["a","b","b","c"]}}"#,
                  patch: #"{"metadata":{"$deleteFromPrimitiveList/finalizers":["b","z"]}}"#,
                  expected: #"{"metadata":{"finalizers":["a","c"]}}"#),
        PatchCase("$deleteFromPrimitiveList on a missing list does nothing",
                  original: #"{"metadata":{"name":"x"}}"#,
                  patch: #"{"metadata":{"$deleteFromPrimitiveList/finalizers":["b"]}}"#,
                  expected: #"{"metadata":{"name":"x"}}"#),
        PatchCase("upstream: $setElementOrder reorders a primitive list",
                  original: #"{"metadata":{"finalizers":["a","b","c"]}}"#,
                  patch: #"{"metadata":{"$setElementOrder/finalizers":["b","c","a"]}}"#,
                  expected: #"{"metadata":{"finalizers":["b","c","a"]}}"#),
        PatchCase("upstream: add, delete and order a primitive list at once",
                  original: #"{"metadata":{"finalizers":["1","3","2"]}}"#,
                  patch: #"{"metadata":{"$setElementOrder/finalizers":["4","2","1"],"finalizers":["4"],"$deleteFromPrimitiveList/finalizers":["3"]}}"#,
                  expected: #"{"metadata":{"finalizers":["4","2","1"]}}"#),
        PatchCase("upstream: $setElementOrder keeps server-only primitives in their place",
                  original: #"{"metadata":{"finalizers":["1","2","7","9","8","3","4"]}}"#,
                  patch: #"{"metadata":{"$setElementOrder/finalizers":["2","1","4","3"]}}"#,
                  expected: #"{"metadata":{"finalizers":["2","1","7","9","8","4","3"]}}"#),
        PatchCase("upstream: $setElementOrder may name items the list lacks",
                  original: #"{"metadata":{"finalizers":["1","3"]}}"#,
                  patch: #"{"metadata":{"$setElementOrder/finalizers":["3","2","1"]}}"#,
                  expected: #"{"metadata":{"finalizers":["3","1"]}}"#),
        PatchCase("upstream: $setElementOrder with duplicates",
                  original: #"{"metadata":{"finalizers":["1","2","3","2","4"]}}"#,
                  patch: #"{"metadata":{"$setElementOrder/finalizers":["2","1","4","3","2"]}}"#,
                  expected: #"{"metadata":{"finalizers":["2","2","1","4","3"]}}"#),
    ]

    static let directiveCases: [PatchCase] = [
        PatchCase("upstream: $patch replace on a list replaces it",
                  original: deploymentJSON(podSpec: #""containers":[{"name":"a","image":"x"},{"name":"b"}]"#),
                  patch: deploymentJSON(podSpec: #""containers":[{"$patch":"replace"},{"name":"only","image":"y"}]"#),
                  expected: deploymentJSON(podSpec: #""containers":[{"name":"only","image":"y"}]"#)),
        PatchCase("upstream: $patch replace alone empties a list",
                  original: deploymentJSON(podSpec: #""containers":[{"name":"a"},{"name":"b"}]"#),
                  patch: deploymentJSON(podSpec: #""containers":[{"$patch":"replace"}]"#),
                  expected: deploymentJSON(podSpec: #""containers":[]"#)),
        PatchCase("upstream: $patch delete removes a list element by merge key",
                  original: deploymentJSON(podSpec: #""containers":[{"name":"web"},{"name":"log"}]"#),
                  patch: deploymentJSON(podSpec: #""containers":[{"name":"log","$patch":"delete"}]"#),
                  expected: deploymentJSON(podSpec: #""containers":[{"name":"web"}]"#)),
        PatchCase("upstream: $patch delete on a map leaves it empty",
                  original: deploymentJSON(podSpec: #""securityContext":{"runAsUser":1000},"hostname":"h""#),
                  patch: deploymentJSON(podSpec: #""securityContext":{"$patch":"delete"}"#),
                  expected: deploymentJSON(podSpec: #""securityContext":{},"hostname":"h""#)),
        PatchCase("$patch delete on a missing map leaves nothing",
                  original: deploymentJSON(podSpec: #""hostname":"h""#),
                  patch: deploymentJSON(podSpec: #""securityContext":{"$patch":"delete"}"#),
                  expected: deploymentJSON(podSpec: #""hostname":"h""#)),
        PatchCase("upstream: $patch replace on a map replaces it",
                  original: #"{"metadata":{"labels":{"a":"1","b":"2"}}}"#,
                  patch: #"{"metadata":{"labels":{"$patch":"replace","c":"3"}}}"#,
                  expected: #"{"metadata":{"labels":{"c":"3"}}}"#),
        PatchCase("upstream: $patch replace on the whole object",
                  original: #"{"kind":"Deployment","spec":{"replicas":1}}"#,
                  patch: #"{"$patch":"replace","spec":{"replicas":2}}"#,
                  expected: #"{"spec":{"replicas":2}}"#),
        PatchCase("$patch delete on the whole object",
                  original: #"{"kind":"Deployment","spec":{"replicas":1}}"#,
                  patch: #"{"$patch":"delete"}"#,
                  expected: #"{}"#),
        PatchCase("$patch merge on a map merges as usual",
                  original: #"{"metadata":{"labels":{"a":"1"}}}"#,
                  patch: #"{"metadata":{"labels":{"$patch":"merge","b":"2"}}}"#,
                  expected: #"{"metadata":{"labels":{"a":"1","b":"2"}}}"#),
        PatchCase("$patch merge in a list merges as usual",
                  original: deploymentJSON(podSpec: #""containers":[{"name":"a"}]"#),
                  patch: deploymentJSON(podSpec: #""containers":[{"$patch":"merge"},{"name":"a","image":"x"}]"#),
                  expected: deploymentJSON(podSpec: #""containers":[{"name":"a","image":"x"}]"#)),
        PatchCase("upstream: $retainKeys clears the other members of a union (Recreate strategy)",
                  original: #"{"spec":{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"}}}}"#,
                  patch: #"{"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}}"#,
                  expected: #"{"spec":{"strategy":{"type":"Recreate"}}}"#),
        PatchCase("upstream: without $retainKeys a retainKeys field still merges",
                  original: #"{"spec":{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%"}}}}"#,
                  patch: #"{"spec":{"strategy":{"type":"Recreate"}}}"#,
                  expected: #"{"spec":{"strategy":{"type":"Recreate","rollingUpdate":{"maxSurge":"25%"}}}}"#),
        PatchCase("upstream: $retainKeys with a null member",
                  original: #"{"spec":{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%"}}}}"#,
                  patch: #"{"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate","rollingUpdate":null}}}"#,
                  expected: #"{"spec":{"strategy":{"type":"Recreate"}}}"#),
        PatchCase("upstream: $retainKeys in a volume swaps its source",
                  original: deploymentJSON(podSpec: #""volumes":[{"name":"data","emptyDir":{}},{"name":"cfg","configMap":{"name":"c"}}]"#),
                  patch: deploymentJSON(podSpec: #""volumes":[{"$retainKeys":["hostPath","name"],"name":"data","hostPath":{"path":"/srv"}}]"#),
                  expected: deploymentJSON(podSpec: #""volumes":[{"name":"data","hostPath":{"path":"/srv"}},{"name":"cfg","configMap":{"name":"c"}}]"#)),
        PatchCase("upstream: $setElementOrder reorders containers",
                  original: deploymentJSON(podSpec: #""containers":[{"name":"a"},{"name":"b"},{"name":"c"}]"#),
                  patch: deploymentJSON(podSpec: #""$setElementOrder/containers":[{"name":"c"},{"name":"a"},{"name":"b"}]"#),
                  expected: deploymentJSON(podSpec: #""containers":[{"name":"c"},{"name":"a"},{"name":"b"}]"#)),
        PatchCase("upstream: $setElementOrder places new containers",
                  original: deploymentJSON(podSpec: #""containers":[{"name":"1","image":"a"},{"name":"2","image":"b"}]"#),
                  patch: deploymentJSON(podSpec: #""$setElementOrder/containers":[{"name":"4"},{"name":"1"},{"name":"2"},{"name":"3"}],"containers":[{"name":"4","image":"d"},{"name":"3","image":"c"}]"#),
                  expected: deploymentJSON(podSpec: #""containers":[{"name":"4","image":"d"},{"name":"1","image":"a"},{"name":"2","image":"b"},{"name":"3","image":"c"}]"#)),
        PatchCase("upstream: $setElementOrder keeps server-only containers in their place",
                  original: deploymentJSON(podSpec: #""containers":[{"name":"1","image":"a"},{"name":"2"},{"name":"9"},{"name":"3"},{"name":"4"}]"#),
                  patch: deploymentJSON(podSpec: #""$setElementOrder/containers":[{"name":"2"},{"name":"1"},{"name":"4"},{"name":"3"}]"#),
                  expected: deploymentJSON(podSpec: #""containers":[{"name":"2"},{"name":"1","image":"a"},{"name":"9"},{"name":"4"},{"name":"3"}]"#)),
        PatchCase("upstream: $setElementOrder may name containers the list lacks",
                  original: deploymentJSON(podSpec: #""containers":[{"name":"1"},{"name":"3"}]"#),
                  patch: deploymentJSON(podSpec: #""$setElementOrder/containers":[{"name":"3"},{"name":"2"},{"name":"1"}],"containers":[{"name":"3","image":"c"},{"name":"1","image":"a"}]"#),
                  expected: deploymentJSON(podSpec: #""containers":[{"name":"3","image":"c"},{"name":"1","image":"a"}]"#)),
        PatchCase("kubectl removes a container: delete directive with $setElementOrder",
                  original: deploymentJSON(podSpec: #""containers":[{"name":"a"},{"name":"b"},{"name":"c"}]"#),
                  patch: deploymentJSON(podSpec: #""$setElementOrder/containers":[{"name":"a"},{"name":"c"}],"containers":[{"name":"b","$patch":"delete"}]"#),
                  expected: deploymentJSON(podSpec: #""containers":[{"name":"a"},{"name":"c"}]"#)),
        PatchCase("an empty $setElementOrder list asks for no order",
                  original: deploymentJSON(podSpec: #""containers":[{"name":"a"},{"name":"b"}]"#),
                  patch: deploymentJSON(podSpec: #""$setElementOrder/containers":[],"containers":[{"name":"b","image":"x"}]"#),
                  expected: deploymentJSON(podSpec: #""containers":[{"name":"a"},{"name":"b","image":"x"}]"#)),
        PatchCase("$patch replace on a missing map keeps the patch's members",
                  original: #"{"metadata":{"name":"d"}}"#,
                  patch: #"{"metadata":{"labels":{"$patch":"replace","a":"1"}}}"#,
                  expected: #"{"metadata":{"name":"d","labels":{"a":"1"}}}"#),
        PatchCase("$setElementOrder for a list the object lacks takes the patch list",
                  original: deploymentJSON(podSpec: #""hostname":"h""#),
                  patch: deploymentJSON(podSpec: #""$setElementOrder/containers":[{"name":"b"},{"name":"a"}],"containers":[{"name":"b"},{"name":"a"}]"#),
                  expected: deploymentJSON(podSpec: #""hostname":"h","containers":[{"name":"b"},{"name":"a"}]"#)),
    ]

    static let mapCases: [PatchCase] = [
        PatchCase("labels merge by key and null deletes one",
                  original: #"{"metadata":{"labels":{"app":"web","tier":"fe"},"name":"d"}}"#,
                  patch: #"{"metadata":{"labels":{"tier":null,"env":"prod"}}}"#,
                  expected: #"{"metadata":{"labels":{"app":"web","env":"prod"},"name":"d"}}"#),
        PatchCase("an atomic nodeSelector still merges key by key, as upstream's struct tags make it",
                  original: deploymentJSON(podSpec: #""nodeSelector":{"disk":"ssd"}"#),
                  patch: deploymentJSON(podSpec: #""nodeSelector":{"zone":"a"}"#),
                  expected: deploymentJSON(podSpec: #""nodeSelector":{"disk":"ssd","zone":"a"}"#)),
        PatchCase("null deletes a field",
                  original: #"{"spec":{"replicas":3,"paused":true}}"#,
                  patch: #"{"spec":{"replicas":null}}"#,
                  expected: #"{"spec":{"paused":true}}"#),
        PatchCase("null for a missing field is dropped",
                  original: #"{"spec":{"paused":true}}"#,
                  patch: #"{"spec":{"replicas":null}}"#,
                  expected: #"{"spec":{"paused":true}}"#),
        PatchCase("upstream: nulls inside a new map are dropped",
                  original: #"{"metadata":{"name":"d"}}"#,
                  patch: #"{"metadata":{"annotations":{"a":"x","b":null}}}"#,
                  expected: #"{"metadata":{"name":"d","annotations":{"a":"x"}}}"#),
        PatchCase("a value of another type replaces the old one",
                  original: #"{"spec":{"strategy":{"rollingUpdate":{"maxSurge":1}}}}"#,
                  patch: #"{"spec":{"strategy":{"rollingUpdate":{"maxSurge":"25%"}}}}"#,
                  expected: #"{"spec":{"strategy":{"rollingUpdate":{"maxSurge":"25%"}}}}"#),
        PatchCase("unknown fields merge maps and replace lists",
                  original: #"{"extra":{"a":1,"list":[1,2],"nested":{"x":1}}}"#,
                  patch: #"{"extra":{"b":2,"list":[3],"nested":{"y":2}}}"#,
                  expected: #"{"extra":{"a":1,"list":[3],"nested":{"x":1,"y":2},"b":2}}"#),
        PatchCase("ownerReferences merge by uid",
                  original: #"{"metadata":{"ownerReferences":[{"uid":"1","kind":"ReplicaSet","name":"a"}]}}"#,
                  patch: #"{"metadata":{"ownerReferences":[{"uid":"1","controller":true},{"uid":"2","kind":"Node","name":"n"}]}}"#,
                  expected: #"{"metadata":{"ownerReferences":[{"uid":"1","kind":"ReplicaSet","name":"a","controller":true},{"uid":"2","kind":"Node","name":"n"}]}}"#),
        PatchCase("status conditions merge by type",
                  original: #"{"status":{"conditions":[{"type":"Available","status":"True"},{"type":"Progressing","status":"True"}]}}"#,
                  patch: #"{"status":{"conditions":[{"type":"Available","status":"False","reason":"MinimumReplicasUnavailable"}]}}"#,
                  expected: #"{"status":{"conditions":[{"type":"Available","status":"False","reason":"MinimumReplicasUnavailable"},{"type":"Progressing","status":"True"}]}}"#),
        PatchCase("an empty patch changes nothing",
                  original: #"{"spec":{"replicas":1}}"#,
                  patch: #"{}"#,
                  expected: #"{"spec":{"replicas":1}}"#),
        PatchCase("a null original is an empty object",
                  original: #"null"#,
                  patch: #"{"spec":{"replicas":1}}"#,
                  expected: #"{"spec":{"replicas":1}}"#),
    ]

    @Test("Deployment lists", arguments: listCases)
    func deploymentLists(_ testCase: PatchCase) throws {
        try check(testCase, definition: deploymentDefinition)
    }

    @Test("Deployment primitive lists", arguments: primitiveListCases)
    func deploymentPrimitiveLists(_ testCase: PatchCase) throws {
        try check(testCase, definition: deploymentDefinition)
    }

    @Test("Deployment directives", arguments: directiveCases)
    func deploymentDirectives(_ testCase: PatchCase) throws {
        try check(testCase, definition: deploymentDefinition)
    }

    @Test("Deployment maps", arguments: mapCases)
    func deploymentMaps(_ testCase: PatchCase) throws {
        try check(testCase, definition: deploymentDefinition)
    }

    static let serviceCases: [PatchCase] = [
        PatchCase("ports merge by port",
                  original: #"{"spec":{"ports":[{"port":80,"targetPort":8080,"protocol":"TCP","name":"http"}]}}"#,
                  patch: #"{"spec":{"ports":[{"port":80,"targetPort":"web"},{"port":443,"name":"https"}]}}"#,
                  expected: #"{"spec":{"ports":[{"port":80,"targetPort":"web","protocol":"TCP","name":"http"},{"port":443,"name":"https"}]}}"#),
        PatchCase("a port is deleted by its merge key",
                  original: #"{"spec":{"ports":[{"port":80},{"port":443}]}}"#,
                  patch: #"{"spec":{"ports":[{"port":80,"$patch":"delete"}]}}"#,
                  expected: #"{"spec":{"ports":[{"port":443}]}}"#),
        PatchCase("the atomic selector merges key by key, as upstream's struct tags make it",
                  original: #"{"spec":{"selector":{"app":"web"}}}"#,
                  patch: #"{"spec":{"selector":{"tier":"fe"}}}"#,
                  expected: #"{"spec":{"selector":{"app":"web","tier":"fe"}}}"#),
        PatchCase("$patch replace makes the selector exactly the patch's",
                  original: #"{"spec":{"selector":{"app":"web"}}}"#,
                  patch: #"{"spec":{"selector":{"$patch":"replace","tier":"fe"}}}"#,
                  expected: #"{"spec":{"selector":{"tier":"fe"}}}"#),
        PatchCase("externalIPs are atomic",
                  original: #"{"spec":{"externalIPs":["1.1.1.1"]}}"#,
                  patch: #"{"spec":{"externalIPs":["2.2.2.2"]}}"#,
                  expected: #"{"spec":{"externalIPs":["2.2.2.2"]}}"#),
    ]

    @Test("Service", arguments: serviceCases)
    func service(_ testCase: PatchCase) throws {
        try check(testCase, definition: serviceDefinition)
    }

    static let podCases: [PatchCase] = [
        PatchCase("containers of a pod merge by name",
                  original: #"{"spec":{"containers":[{"name":"a","image":"x"}]}}"#,
                  patch: #"{"spec":{"containers":[{"name":"a","image":"y"}]}}"#,
                  expected: #"{"spec":{"containers":[{"name":"a","image":"y"}]}}"#),
        PatchCase("hostAliases merge by ip",
                  original: #"{"spec":{"hostAliases":[{"ip":"10.0.0.1","hostnames":["a"]}]}}"#,
                  patch: #"{"spec":{"hostAliases":[{"ip":"10.0.0.1","hostnames":["b"]}]}}"#,
                  expected: #"{"spec":{"hostAliases":[{"ip":"10.0.0.1","hostnames":["b"]}]}}"#),
        PatchCase("ephemeral containers are added by name",
                  original: #"{"spec":{"ephemeralContainers":[{"name":"debug-1"}]}}"#,
                  patch: #"{"spec":{"ephemeralContainers":[{"name":"debug-1"},{"name":"debug-2","image":"busybox"}]}}"#,
                  expected: #"{"spec":{"ephemeralContainers":[{"name":"debug-1"},{"name":"debug-2","image":"busybox"}]}}"#),
        PatchCase("status container statuses have no merge key and are replaced",
                  original: #"{"status":{"containerStatuses":[{"name":"a","ready":true}],"phase":"Running"}}"#,
                  patch: #"{"status":{"containerStatuses":[{"name":"a","ready":false}]}}"#,
                  expected: #"{"status":{"containerStatuses":[{"name":"a","ready":false}],"phase":"Running"}}"#),
        PatchCase("pod conditions merge by type",
                  original: #"{"status":{"conditions":[{"type":"Ready","status":"True"},{"type":"PodScheduled","status":"True"}]}}"#,
                  patch: #"{"status":{"conditions":[{"type":"Ready","status":"False"}]}}"#,
                  expected: #"{"status":{"conditions":[{"type":"Ready","status":"False"},{"type":"PodScheduled","status":"True"}]}}"#),
    ]

    @Test("Pod", arguments: podCases)
    func pod(_ testCase: PatchCase) throws {
        try check(testCase, definition: podDefinition)
    }

    @Test("A kubectl apply patch on a live Deployment keeps what the server defaulted")
    func kubectlApplyPatch() throws {
        let live = try parsePatchJSON(#"""
            {"apiVersion":"apps/v1","kind":"Deployment",
             "metadata":{"name":"web","namespace":"default","uid":"u1","resourceVersion":"7","generation":2,
                         "labels":{"app":"web","tier":"fe"},"annotations":{"deployment.kubernetes.io/revision":"2"}},
             "spec":{"replicas":2,"revisionHistoryLimit":10,"progressDeadlineSeconds":600,
                     "selector":{"matchLabels":{"app":"web"}},
                     "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"}},
                     "template":{"metadata":{"labels":{"app":"web"}},
                                 "spec":{"restartPolicy":"Always","dnsPolicy":"ClusterFirst",
                                         "containers":[{"name":"web","image":"nginx:1.25","imagePullPolicy":"IfNotPresent",
                                                        "terminationMessagePath":"/dev/termination-log",
                                                        "env":[{"name":"A","value":"1"}],
                                                        "ports":[{"containerPort":80,"protocol":"TCP"}]}]}}},
             "status":{"replicas":2,"conditions":[{"type":"Available","status":"True"}]}}
            """#)
        let patch = try parsePatchJSON(#"""
            {"metadata":{"labels":{"tier":null}},
             "spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate","rollingUpdate":null},
                     "template":{"spec":{"$setElementOrder/containers":[{"name":"web"}],
                                         "containers":[{"$setElementOrder/env":[{"name":"A"},{"name":"B"}],
                                                        "env":[{"name":"B","value":"2"}],
                                                        "image":"nginx:1.27","name":"web"}]}}}}
            """#)
        let expected = try parsePatchJSON(#"""
            {"apiVersion":"apps/v1","kind":"Deployment",
             "metadata":{"name":"web","namespace":"default","uid":"u1","resourceVersion":"7","generation":2,
                         "labels":{"app":"web"},"annotations":{"deployment.kubernetes.io/revision":"2"}},
             "spec":{"replicas":2,"revisionHistoryLimit":10,"progressDeadlineSeconds":600,
                     "selector":{"matchLabels":{"app":"web"}},
                     "strategy":{"type":"Recreate"},
                     "template":{"metadata":{"labels":{"app":"web"}},
                                 "spec":{"restartPolicy":"Always","dnsPolicy":"ClusterFirst",
                                         "containers":[{"name":"web","image":"nginx:1.27","imagePullPolicy":"IfNotPresent",
                                                        "terminationMessagePath":"/dev/termination-log",
                                                        "env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],
                                                        "ports":[{"containerPort":80,"protocol":"TCP"}]}]}}},
             "status":{"replicas":2,"conditions":[{"type":"Available","status":"True"}]}}
            """#)
        let patcher = try #require(StrategicMergePatch(kind: GroupVersionKind(group: "apps", version: "v1", kind: "Deployment")))
        expectSameDocument(try patcher.apply(patch, to: live), expected)
    }

    @Test("A PodDisruptionBudget selector has the replace strategy")
    func replaceStrategy() throws {
        let patcher = try strategicPatcher("io.k8s.api.policy.v1.PodDisruptionBudget")
        let result = try patcher.apply(
            parsePatchJSON(#"{"spec":{"selector":{"matchLabels":{"app":"db"}}}}"#),
            to: parsePatchJSON(#"{"spec":{"minAvailable":1,"selector":{"matchLabels":{"app":"web","tier":"fe"}}}}"#))
        expectSameDocument(result, try parsePatchJSON(#"{"spec":{"minAvailable":1,"selector":{"matchLabels":{"app":"db"}}}}"#))
    }

    @Test("ConfigMap data merges by key")
    func configMapData() throws {
        let patcher = try #require(StrategicMergePatch(kind: GroupVersionKind(group: "", version: "v1", kind: "ConfigMap")))
        let result = try patcher.apply(
            parsePatchJSON(#"{"data":{"b":"3","c":null}}"#),
            to: parsePatchJSON(#"{"data":{"a":"1","b":"2","c":"x"}}"#))
        expectSameDocument(result, try parsePatchJSON(#"{"data":{"a":"1","b":"3"}}"#))
    }

    @Test("Only kinds the catalog describes get a patcher")
    func patcherForKind() {
        #expect(StrategicMergePatch(kind: GroupVersionKind(group: "apps", version: "v1", kind: "Deployment")) != nil)
        #expect(StrategicMergePatch(kind: GroupVersionKind(group: "example.com", version: "v1", kind: "Widget")) == nil)
    }

    @Test("Without a schema maps merge like JSON merge patch and lists are replaced")
    func withoutSchema() throws {
        let patcher = StrategicMergePatch(schema: [:])
        let result = try patcher.apply(
            parsePatchJSON(#"{"spec":{"containers":[{"name":"b"}],"labels":{"x":null,"y":"2"}}}"#),
            to: parsePatchJSON(#"{"spec":{"containers":[{"name":"a"}],"labels":{"x":"1"}}}"#))
        expectSameDocument(result, try parsePatchJSON(#"{"spec":{"containers":[{"name":"b"}],"labels":{"y":"2"}}}"#))
    }

    static let failureCases: [PatchFailureCase] = [
        PatchFailureCase("upstream: a list element without its merge key",
                         original: deploymentJSON(podSpec: #""containers":[{"name":"a"}]"#),
                         patch: deploymentJSON(podSpec: #""containers":[{"image":"b"}]"#),
                         kind: .notApplicable, message: #"map: {"image":"b"} does not contain declared merge key: name"#),
        PatchFailureCase("a delete directive without the merge key",
                         original: deploymentJSON(podSpec: #""containers":[{"name":"a"}]"#),
                         patch: deploymentJSON(podSpec: #""containers":[{"$patch":"delete"}]"#),
                         kind: .notApplicable, message: "does not contain declared merge key: name"),
        PatchFailureCase("an unknown $patch value in a map",
                         original: #"{"metadata":{"labels":{}}}"#,
                         patch: #"{"metadata":{"labels":{"$patch":"remove"}}}"#,
                         kind: .malformedPatch, message: #"unknown patch type: "remove" in map"#),
        PatchFailureCase("an unknown $patch value in a list",
                         original: deploymentJSON(podSpec: #""containers":[{"name":"a"}]"#),
                         patch: deploymentJSON(podSpec: #""containers":[{"name":"a","$patch":"drop"}]"#),
                         kind: .malformedPatch, message: "unknown patch type"),
        PatchFailureCase("a $patch that is not a string",
                         original: #"{"metadata":{}}"#,
                         patch: #"{"metadata":{"$patch":true}}"#,
                         kind: .malformedPatch, message: "unknown patch type: true"),
        PatchFailureCase("$retainKeys that is not a list",
                         original: #"{"spec":{"strategy":{}}}"#,
                         patch: #"{"spec":{"strategy":{"$retainKeys":"type"}}}"#,
                         kind: .malformedPatch, message: "invalid patch format of retainKeys"),
        PatchFailureCase("$retainKeys naming a non-string",
                         original: #"{"spec":{"strategy":{}}}"#,
                         patch: #"{"spec":{"strategy":{"$retainKeys":[1]}}}"#,
                         kind: .malformedPatch, message: "invalid patch format of retainKeys"),
        PatchFailureCase("$retainKeys leaving out a patched key",
                         original: #"{"spec":{"strategy":{}}}"#,
                         patch: #"{"spec":{"strategy":{"$retainKeys":["type"],"rollingUpdate":{"maxSurge":1}}}}"#,
                         kind: .malformedPatch, message: #"sets "rollingUpdate", which $retainKeys does not list"#),
        PatchFailureCase("$setElementOrder that is not a list",
                         original: #"{"metadata":{"finalizers":["a"]}}"#,
                         patch: #"{"metadata":{"$setElementOrder/finalizers":"a"}}"#,
                         kind: .malformedPatch, message: "invalid patch format of setElementOrder list"),
        PatchFailureCase("upstream: $setElementOrder disagreeing with the patch list",
                         original: deploymentJSON(podSpec: #""containers":[{"name":"1"},{"name":"3"},{"name":"2"}]"#),
                         patch: deploymentJSON(podSpec: #""$setElementOrder/containers":[{"name":"1"},{"name":"2"},{"name":"3"}],"containers":[{"name":"3","image":"x"},{"name":"1","image":"y"}]"#),
                         kind: .malformedPatch, message: "doesn't match $setElementOrder list"),
        PatchFailureCase("upstream: $setElementOrder disagreeing with a primitive patch list",
                         original: #"{"metadata":{"finalizers":["1","3","2"]}}"#,
                         patch: #"{"metadata":{"$setElementOrder/finalizers":["1","2","3"],"finalizers":["3","1"]}}"#,
                         kind: .malformedPatch, message: "doesn't match"),
        PatchFailureCase("$setElementOrder leaving out a patched element",
                         original: #"{"metadata":{"finalizers":["1"]}}"#,
                         patch: #"{"metadata":{"$setElementOrder/finalizers":["1"],"finalizers":["2"]}}"#,
                         kind: .malformedPatch, message: "doesn't match"),
        PatchFailureCase("$setElementOrder entries without the merge key",
                         original: deploymentJSON(podSpec: #""containers":[{"name":"a"}]"#),
                         patch: deploymentJSON(podSpec: #""$setElementOrder/containers":[{"image":"a"}]"#),
                         kind: .notApplicable, message: "does not contain declared merge key: name"),
        PatchFailureCase("$setElementOrder for a field that is not a list",
                         original: #"{"metadata":{"finalizers":"a"}}"#,
                         patch: #"{"metadata":{"$setElementOrder/finalizers":["a"]}}"#,
                         kind: .notApplicable, message: "needs finalizers to be a list"),
        PatchFailureCase("$setElementOrder without a field name",
                         original: #"{"metadata":{}}"#,
                         patch: #"{"metadata":{"$setElementOrder":["a"]}}"#,
                         kind: .malformedPatch, message: "invalid patch format of setElementOrder list"),
        PatchFailureCase("$deleteFromPrimitiveList that is not a list",
                         original: #"{"metadata":{"finalizers":["a"]}}"#,
                         patch: #"{"metadata":{"$deleteFromPrimitiveList/finalizers":"a"}}"#,
                         kind: .malformedPatch, message: "invalid patch format of primitive list"),
        PatchFailureCase("$deleteFromPrimitiveList without a field name",
                         original: #"{"metadata":{"finalizers":["a"]}}"#,
                         patch: #"{"metadata":{"$deleteFromPrimitiveList/":["a"]}}"#,
                         kind: .malformedPatch, message: "invalid patch format of primitive list"),
        PatchFailureCase("list elements of different types",
                         original: #"{"metadata":{"finalizers":["a"]}}"#,
                         patch: #"{"metadata":{"finalizers":[1]}}"#,
                         kind: .notApplicable, message: "list element types are not identical"),
        PatchFailureCase("lists of lists",
                         original: #"{"metadata":{"finalizers":["a"]}}"#,
                         patch: #"{"metadata":{"finalizers":[["b"]]}}"#,
                         kind: .notApplicable, message: "lists of lists are not supported"),
        PatchFailureCase("a patch that is not an object",
                         original: #"{}"#,
                         patch: #"[{"op":"add"}]"#,
                         kind: .malformedPatch, message: "must be an object"),
        PatchFailureCase("an original that is not an object",
                         original: #""text""#,
                         patch: #"{}"#,
                         kind: .malformedPatch, message: "expected an object"),
    ]

    @Test(arguments: failureCases)
    func fails(_ testCase: PatchFailureCase) throws {
        let patcher = try strategicPatcher(deploymentDefinition)
        let patch = try parsePatchJSON(testCase.patch)
        let original = try parsePatchJSON(testCase.original)
        let error = patchError { _ = try patcher.apply(patch, to: original) }
        #expect(error?.kind == testCase.kind)
        #expect(error?.message.contains(testCase.message) == true, "message: \(error?.message ?? "none")")
    }

    private func check(_ testCase: PatchCase, definition: String) throws {
        let result = try strategicPatcher(definition).apply(parsePatchJSON(testCase.patch), to: parsePatchJSON(testCase.original))
        expectSameDocument(result, try parsePatchJSON(testCase.expected))
    }
}
