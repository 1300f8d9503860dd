// A pod's lifecycle moved to the Runtime level (src/libpod/runtime/pods.ts):
// it starts, stops and removes containers. Kept for the create path's imports.
export {removePod} from '../runtime/pods.js'
export {podContainers} from './containers.js'
