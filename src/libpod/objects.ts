// The engine's public objects, gathered for Runtime.open() to load at once.
export {Container} from './container/container.js'
export {Pod} from './pod/pod.js'
export {Volume} from './volume/volume.js'
export {Network} from './network/network.js'
export {Image} from './image/image.js'
export {Secrets} from './secret/secrets.js'
