/** The action's entry point: only starts run(); importing any other module never runs the action. */
import { run } from './main.js';

await run();
