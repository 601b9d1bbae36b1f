import KubeModel

/// What regular, init and ephemeral containers have in common (upstream's
/// EphemeralContainerCommon), so defaulting and validation are written once for all three.
protocol PodContainer {
    var name: String { get set }
    var image: String? { get set }
    var imagePullPolicy: String? { get set }
    var terminationMessagePath: String? { get set }
    var terminationMessagePolicy: String? { get set }
    var ports: [CoreV1.ContainerPort]? { get set }
    var env: [CoreV1.EnvVar]? { get set }
    var envFrom: [CoreV1.EnvFromSource]? { get set }
    var resources: CoreV1.ResourceRequirements? { get set }
    var volumeMounts: [CoreV1.VolumeMount]? { get set }
    var volumeDevices: [CoreV1.VolumeDevice]? { get set }
    var livenessProbe: CoreV1.Probe? { get set }
    var readinessProbe: CoreV1.Probe? { get set }
    var startupProbe: CoreV1.Probe? { get set }
    var lifecycle: CoreV1.Lifecycle? { get set }
    var restartPolicy: String? { get set }
    var securityContext: CoreV1.SecurityContext? { get set }
}

extension CoreV1.Container: PodContainer {}
extension CoreV1.EphemeralContainer: PodContainer {}

extension CoreV1.PodSpec {
    /// Init containers then regular containers, with the path each is found under.
    func allContainers(path: FieldPath) -> [(container: CoreV1.Container, path: FieldPath)] {
        (initContainers ?? []).enumerated().map { ($0.element, path.child("initContainers").index($0.offset)) }
            + containers.enumerated().map { ($0.element, path.child("containers").index($0.offset)) }
    }
}
