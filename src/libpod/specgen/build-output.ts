// build --output, typed: where the final stage's rootfs is written.

/** A directory (type=local), or a tar archive to a file or, without dest, to stdout (`-`). */
export type BuildOutput = {type: 'local'; dest: string} | {type: 'tar'; dest?: string}
