#!/usr/bin/env node
// Writes dist/cli/command-index.json from oclif.manifest.json: each command's
// id, aliases, whether it takes arguments and its `userNamespace`, all that
// bin/run.js needs to decide whether to enter the rootless user namespace
// (~8 KB to parse instead of the manifest's ~380 KB).
import {readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {indexFromManifest} from '../dist/cli/launcher.js'

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const manifest = JSON.parse(readFileSync(path.join(repo, 'oclif.manifest.json'), 'utf8'))
writeFileSync(path.join(repo, 'dist/cli/command-index.json'), JSON.stringify(indexFromManifest(manifest)) + '\n')
