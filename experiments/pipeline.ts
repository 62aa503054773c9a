export async function runPipeline(): Promise<never> {
  throw new Error("not yet");
}
