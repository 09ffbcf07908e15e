/** The CLI's entry point (bin: agent-gate). */
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2));
