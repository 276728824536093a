import { openRecording } from "@flacarray/recording/node";

const rec = await openRecording(process.argv[2] ?? "rec.cbin");
for (let k = 0; k < 5; k++) {
  const t = performance.now();
  const start = 30000 * 2 + 15000 + ((k * 30000) % 60000);
  await rec.read({ start, stop: start + 30000 });
  console.log((performance.now() - t).toFixed(0));
}
await rec.close();
