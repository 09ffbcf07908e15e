// The floor for per-case results: a bare Node loop that reads a JSON Lines file and JSON.parses each line,
// and does nothing else (no checks, no aggregates). Reading is as lean as Node allows: 1 MiB synchronous reads
// into one buffer, lines found with Buffer#indexOf, each decoded once. Prints the number of lines parsed.
import { closeSync, openSync, readSync } from 'node:fs';

const file = process.argv[2];
if (!file) {
  console.error('usage: node bench/floor.mjs FILE.jsonl');
  process.exit(2);
}
const fd = openSync(file, 'r');
const buffer = Buffer.allocUnsafe(1 << 20);
let filled = 0;
let lines = 0;
for (;;) {
  const read = readSync(fd, buffer, filled, buffer.length - filled, null);
  const end = filled + read;
  let start = 0;
  for (let newline = buffer.indexOf(10, start); newline >= 0 && newline < end; newline = buffer.indexOf(10, start)) {
    if (newline > start) {
      JSON.parse(buffer.toString('utf8', start, newline));
      lines++;
    }
    start = newline + 1;
  }
  if (read === 0) {
    if (end > start) {
      JSON.parse(buffer.toString('utf8', start, end));
      lines++;
    }
    break;
  }
  if (start === 0 && end === buffer.length) throw new Error('a line is longer than the read buffer');
  buffer.copy(buffer, 0, start, end); // the partial last line moves to the front
  filled = end - start;
}
closeSync(fd);
console.log(lines);
