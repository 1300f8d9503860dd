// build --ssh, typed: what RUN --mount=type=ssh,id=ID gives a step.

/** An ssh agent's socket to forward, or private key files loaded into a new agent for the build. */
export type SshSource = {socket: string} | {keys: string[]}
