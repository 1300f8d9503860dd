// `image tree`: an image's layers as Podman's libimage prints them (gotree):
// a header (ID, tags, size), then the layers from the top one down, each
// with the images whose top layer it is; --whatrequires instead walks from
// the image's top layer up through every layer built on it.
import type {Runtime} from '../runtime.js'
import {imageSize} from './inspect.js'
import type {ImageDoc} from './images.js'

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB']

/** go-units HumanSizeWithPrecision(n, 4), no space: "1.988MB", "0B". */
function size4(n: number): string {
  let i = 0
  while (n >= 1000 && i < UNITS.length - 1) {
    n /= 1000
    i++
  }
  return `${Number(n.toPrecision(4))}${UNITS[i]}`
}

interface TreeNode {
  text: string
  children: TreeNode[]
}

/** gotree's Print: the root's text, then children drawn with ├── └── │. */
function printTree(root: TreeNode): string {
  const lines = [root.text]
  const walk = (nodes: TreeNode[], prefix: string) => {
    nodes.forEach((n, i) => {
      const last = i === nodes.length - 1
      lines.push(`${prefix}${last ? '└── ' : '├── '}${n.text}`)
      walk(n.children, prefix + (last ? '    ' : '│   '))
    })
  }
  walk(root.children, '')
  return lines.join('\n') + '\n'
}

export function imageTree(rt: Runtime, ref: string, whatRequires: boolean): string {
  const img = rt.lookupImage(ref)
  const images = rt.listImages()
  const top = (i: ImageDoc) => i.layers[i.layers.length - 1]
  const tagsOf = (layer: string) => images.filter(i => top(i) === layer).flatMap(i => i.names)
  const line = (layer: string) => {
    let sz = 0
    try {
      sz = rt.store.layers.get(layer).size
    } catch {
      // a layer gone under us
    }
    const tags = tagsOf(layer)
    return `ID: ${layer.slice(0, 12)} Size: ${size4(sz).padStart(7)}${tags.length ? ` Top Layer of: [${tags.join(' ')}]` : ''}`
  }
  const header = [`Image ID: ${img.id.slice(0, 12)}`, `Tags:     [${img.names.join(' ')}]`, `Size:     ${size4(imageSize(rt.store, img))}`, img.layers.length ? 'Image Layers' : 'No Image Layers'].join('\n')
  const root: TreeNode = {text: header, children: []}
  if (!img.layers.length) return printTree(root)
  if (!whatRequires) {
    root.children = [...img.layers].reverse().map(l => ({text: line(l), children: []}))
    return printTree(root)
  }
  // Children of a layer: the next layer of every image built on it.
  const children = new Map<string, Set<string>>()
  for (const i of images) {
    for (let k = 0; k + 1 < i.layers.length; k++) {
      const set = children.get(i.layers[k]) ?? new Set()
      set.add(i.layers[k + 1])
      children.set(i.layers[k], set)
    }
  }
  // libimage's imageTreeTraverseChildren: a layer with one child does not indent it.
  const traverse = (layer: string, parent: TreeNode) => {
    const node: TreeNode = {text: line(layer), children: []}
    parent.children.push(node)
    const kids = [...children.get(layer) ?? []]
    for (const k of kids) traverse(k, kids.length <= 1 ? parent : node)
  }
  traverse(top(img), root)
  return printTree(root)
}
