// Kubernetes YAML: kube play (YAML → pods), kube down, kube generate (objects → YAML).
export {playKube, planPlay, type PlayOptions, type PlayReport, type PlayedPod} from './play.js'
export {kubeDown, type DownReport} from './down.js'
export {parseKubeYaml, type KubeDoc} from './parse.js'
export {generateKube, generateObjects, type GenerateOptions, type WorkloadType} from './generate.js'
export {removeServiceContainer, serviceContainerName} from './service.js'
export {takeNotifySocket, notifyServiceReady} from './service-container.js'
