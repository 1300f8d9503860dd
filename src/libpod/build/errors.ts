export {BuildError} from '../define/errors.js'
