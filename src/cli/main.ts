#!/usr/bin/env node
/** The `cachetag` command: runs the CLI with the process arguments and exits with its code. */
import { runCli } from './run.js';

process.exitCode = await runCli(process.argv.slice(2));
