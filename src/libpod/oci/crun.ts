// crun: runc's command line; it finds out by itself whether it runs rootless.
// It refuses hybrid cgroup v1/v2 hosts, which runtime.ts's choice handles.
import {OciCliRuntime} from './cli.js'

export class Crun extends OciCliRuntime {}
