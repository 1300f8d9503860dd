// The build time `version` prints: peapod carries none, and Debian's Podman
// prints Go's zero time too, in Go's ANSIC layout (local time).
import {ansicTime} from '../libpod/define/ansic-time.js'

export const BUILT_TIME = ansicTime(new Date(0))
