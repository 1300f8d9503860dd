// --security-opt and --ulimit → the spec's typed SecurityConfig and Ulimits,
// with Podman's messages (the parsers are the engine's: specgen/security.ts).
export {parseSecurityOpts, parseUlimitFlag} from '../libpod/specgen/security.js'
