export async function main(_argv: string[]): Promise<number> {
  process.stderr.write('agent-gate: not built yet\n');
  return 3;
}
