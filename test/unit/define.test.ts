// define/: the typed errors' Podman messages, the container states and the
// legal transitions between them.
import {expect} from 'chai'
import {
  ContainerStateImproper, InvalidArgument, NoSuchContainer, NoSuchPod, PeapodError, VolumeInUse,
  containerBeingRemoved, noContainerWithId, noSuchContainer, noSuchNetwork, noSuchPod, noSuchVolume,
} from '../../src/libpod/define/errors.js'
import {
  CONTAINER_STATUSES, canDo, checkTransition, displayState, isActive, isRunningOrPaused, nextStates, podStatusOf,
  type ContainerStatus,
} from '../../src/libpod/define/state.js'
import * as shim from '../../src/libpod/define/errors.js'

const ID = 'abc123'

/** The message checkTransition throws, or '' when the transition is legal. */
function refusal(op: Parameters<typeof checkTransition>[0], status: ContainerStatus): string {
  try {
    checkTransition(op, ID, status)
    return ''
  } catch (e) {
    expect(e).to.be.instanceOf(ContainerStateImproper)
    expect((e as PeapodError).exitCode).to.equal(125)
    return (e as Error).message
  }
}

describe('define/errors', () => {
  it('builds the repeated messages in one place, with Podman\'s text', () => {
    expect(noSuchContainer('web').message).to.equal('no container with name or ID "web" found: no such container')
    expect(noSuchContainer('web')).to.be.instanceOf(NoSuchContainer)
    expect(noContainerWithId(ID).message).to.equal(`no container with ID "${ID}" found: no such container`)
    expect(containerBeingRemoved(ID).message).to.equal(`container ${ID} is being removed: container state improper`)
    expect(noSuchPod('p').message).to.equal('no pod with name or ID p found: no such pod')
    expect(noSuchPod('p')).to.be.instanceOf(NoSuchPod)
    expect(noSuchNetwork('n').message).to.equal('unable to find network with name or ID n: network not found')
    expect(noSuchVolume('v').message).to.equal('no volume with name "v" found: no such volume')
  })

  it('keeps Podman\'s exit codes and class names', () => {
    expect(new InvalidArgument('x').exitCode).to.equal(125)
    expect(new VolumeInUse('x').exitCode).to.equal(2)
    expect(new NoSuchContainer('x').name).to.equal('NoSuchContainer')
  })

  it('the old errors module is the same classes (a shim)', () => {
    expect(shim.NoSuchContainer).to.equal(NoSuchContainer)
    expect(shim.PeapodError).to.equal(PeapodError)
  })
})

describe('define/state', () => {
  it('isActive: the states in which the container has a process', () => {
    const active = CONTAINER_STATUSES.filter(isActive)
    expect(active).to.deep.equal(['running', 'paused', 'stopping'])
    expect(isActive('unknown')).to.equal(false)
  })

  it('isRunningOrPaused and displayState', () => {
    expect(CONTAINER_STATUSES.filter(isRunningOrPaused)).to.deep.equal(['running', 'paused'])
    expect(displayState('stopped')).to.equal('exited')
    expect(displayState('running')).to.equal('running')
  })

  it('allows the legal transitions and returns the state they lead to', () => {
    expect(checkTransition('init', ID, 'created')).to.equal('initialized')
    expect(checkTransition('start', ID, 'initialized')).to.equal('running')
    expect(checkTransition('start', ID, 'exited')).to.equal('running')
    expect(checkTransition('pause', ID, 'running')).to.equal('paused')
    expect(checkTransition('unpause', ID, 'paused')).to.equal('running')
    expect(checkTransition('kill', ID, 'paused')).to.equal('paused')
    expect(checkTransition('stop', ID, 'running')).to.equal('stopping')
    expect(checkTransition('exit', ID, 'stopping')).to.equal('exited')
    expect(checkTransition('remove', ID, 'exited')).to.equal('removing')
    expect(checkTransition('exec', ID, 'running')).to.equal('running')
  })

  it('refuses the illegal ones with Podman\'s messages', () => {
    expect(refusal('kill', 'created')).to.equal(`can only kill running containers. ${ID} is in state created: container state improper`)
    expect(refusal('kill', 'exited')).to.equal(`can only kill running containers. ${ID} is in state exited: container state improper`)
    expect(refusal('pause', 'paused')).to.equal(`"${ID}" is already paused: container state improper`)
    expect(refusal('pause', 'stopped')).to.equal('"exited" is not running, can\'t pause: container state improper')
    expect(refusal('unpause', 'running')).to.equal(`"${ID}" is not paused, can't unpause: container state improper`)
    expect(refusal('init', 'running')).to.equal(`container ${ID} has already been created in runtime: container state improper`)
    expect(refusal('exec', 'paused')).to.equal('can only create exec sessions on running containers: container state improper')
    expect(refusal('remove', 'running')).to.equal(`cannot remove container ${ID} as it is running - running or paused containers cannot be removed without force: container state improper`)
    expect(refusal('remove', 'initialized')).to.equal(`cannot remove container ${ID} as it is running - running or paused containers cannot be removed without force: container state improper`)
    expect(refusal('start', 'removing')).to.equal(`container ${ID} must be in Created or Stopped state to be started: container state improper`)
    expect(refusal('stop', 'created')).to.equal(`can only stop created or running containers. ${ID} is in state created: container state improper`)
  })

  it('the state machine: created → running → paused → exited → removed, and nothing leaves removing', () => {
    expect(nextStates('created')).to.include.members(['initialized', 'running', 'removing'])
    expect(nextStates('running')).to.include.members(['paused', 'stopping', 'exited'])
    expect(nextStates('paused')).to.include.members(['running', 'exited'])
    expect(nextStates('exited')).to.include.members(['running', 'removing'])
    expect(nextStates('removing')).to.deep.equal([])
    for (const s of CONTAINER_STATUSES) expect(canDo('pause', s)).to.equal(s === 'running')
  })

  it('derives a pod\'s status from its containers', () => {
    expect(podStatusOf([])).to.equal('Created')
    expect(podStatusOf(['running', 'running'])).to.equal('Running')
    expect(podStatusOf(['running', 'exited'])).to.equal('Degraded')
    expect(podStatusOf(['paused', 'paused'])).to.equal('Paused')
    expect(podStatusOf(['exited', 'stopped'])).to.equal('Exited')
    expect(podStatusOf(['exited', 'created'])).to.equal('Stopped')
    expect(podStatusOf(['created', 'initialized'])).to.equal('Created')
    expect(podStatusOf(['removing'])).to.equal('Error')
  })
})
