// create/run flags of the lifecycle, I/O and environment groups (--secret,
// --restart, --pidfile, --timeout, --unsetenv, --tz, --sysctl …); their
// parsing is in lifecycle-spec.ts.
import {Flags} from './oclif.js'

const many = (description: string) => Flags.string({description, multiple: true, multipleNonGreedy: true})
const goBool = (description: string, dflt: boolean) => Flags.boolean({description, default: dflt, allowNo: true})

export const lifecycleFlags = {
  attach: Flags.string({char: 'a', multiple: true, multipleNonGreedy: true, description: 'Attach to STDIN, STDOUT or STDERR'}),
  'pod-id-file': Flags.string({description: 'Read the pod ID from the file'}),
  replace: Flags.boolean({description: 'If a container with the same name exists, replace it'}),
  'conmon-pidfile': Flags.string({description: 'Path to the file that will receive the PID of conmon (peapod\'s container monitor)'}),
  'env-merge': many('Preprocess environment variables from image before injecting them into the container'),
  'http-proxy': goBool('Set proxy environment variables in the container based on the host proxy vars', true),
  'init-path': Flags.string({description: 'Path to the container-init binary'}),
  'label-file': many('Read in a line delimited file of labels'),
  pidfile: Flags.string({description: 'Write the container process ID to the file'}),
  'read-only-tmpfs': goBool('When running containers in read-only mode mount a read-write tmpfs on /run, /tmp and /var/tmp', true),
  requires: many('Add one or more requirement containers that must be started before this container will start'),
  restart: Flags.string({description: 'Restart policy to apply when a container exits ("always"|"no"|"on-failure"|"unless-stopped")'}),
  secret: many('Add secret to container (NAME[,type=mount|env,target=…,uid=,gid=,mode=])'),
  sysctl: many('Sysctl options'),
  timeout: Flags.string({description: 'Maximum length of time a container is allowed to run. The container will be killed automatically after the time expires.', default: '0'}),
  tz: Flags.string({description: 'Set timezone in container'}),
  unsetenv: many('Unset environment default variables in container'),
  'unsetenv-all': Flags.boolean({description: 'Unset all default environment variables in container'}),
}

