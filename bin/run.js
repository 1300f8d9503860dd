#!/usr/bin/env -S node --
// peapod's entry point as ES modules (dist/, unbundled): the command line is
// src/main.ts. bin/peapod, the installed launcher, starts bin/run.cjs
// instead, which runs the same code from the build's one-file bundle.
import {fileURLToPath} from 'node:url'
import {main} from '../dist/main.js'

await main(fileURLToPath(import.meta.url))
