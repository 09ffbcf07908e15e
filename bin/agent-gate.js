#!/usr/bin/env node
// The published CLI runs the bundled build, so it starts fast and needs no TypeScript at run time.
import '../dist/cli/index.js';
