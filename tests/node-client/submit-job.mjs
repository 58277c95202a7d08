// A bus-only client: no HTTP. Sends a SubmitJob command in MassTransit's JSON envelope to the "submit-job"
// exchange, then waits for JobSubmitted (the job id) and the final JobCompleted / JobFailed / JobCancelled,
// matched by the client's own reference. Prints one JSON line with what it learned; exits 0 on completion.
//
//   AMQP_URL=amqp://guest:guest@127.0.0.1:5672/%2F  PAGE_URL=http://127.0.0.1:8080/  node submit-job.mjs
import amqp from "amqplib";
import { randomUUID } from "node:crypto";

const url = process.env.AMQP_URL ?? "amqp://guest:guest@127.0.0.1:5672/%2F";
const pageUrl = process.env.PAGE_URL ?? "http://127.0.0.1:3000/health";
const timeoutMs = Number(process.env.TIMEOUT_MS ?? 60000);
const clientReference = `node-${randomUUID()}`;

const connection = await amqp.connect(url);
const channel = await connection.createChannel();

// Events are published to fanout exchanges named after them; bind a private queue to the ones we care about.
const { queue } = await channel.assertQueue("", { exclusive: true, autoDelete: true });
for (const exchange of ["job-submitted", "job-submission-rejected", "job-completed", "job-failed", "job-cancelled"]) {
  await channel.assertExchange(exchange, "fanout", { durable: true });
  await channel.bindQueue(queue, exchange, "");
}

const outcome = new Promise((resolve, reject) => {
  let jobId = null;
  const timer = setTimeout(() => reject(new Error(`no outcome within ${timeoutMs} ms (job ${jobId})`)), timeoutMs);
  channel.consume(queue, (delivery) => {
    const envelope = JSON.parse(delivery.content.toString("utf8"));
    const message = envelope.message;
    const type = envelope.messageType[0].split(":").pop();
    channel.ack(delivery);
    if (message.clientReference !== clientReference) return;
    if (type === "JobSubmitted") { jobId = message.jobId; return; }
    if (type === "JobSubmissionRejected") { clearTimeout(timer); reject(new Error(`rejected: ${JSON.stringify(message.errors)}`)); return; }
    if (["JobCompleted", "JobFailed", "JobCancelled"].includes(type)) {
      clearTimeout(timer);
      resolve({ type, jobId: message.jobId, submittedJobId: jobId, clientReference: message.clientReference, message });
    }
  });
});

// The command: MassTransit's envelope. messageId is required (the service's inbox de-duplicates on it).
const envelope = {
  messageId: randomUUID(),
  messageType: ["urn:message:BrowserAutomation.Contracts:SubmitJob"],
  message: {
    browserTypeId: 1,
    actionType: "screenshot",
    payload: { url: pageUrl, viewport: { width: 640, height: 480 } },
    clientReference,
  },
  sentTime: new Date().toISOString(),
  headers: {},
};
await channel.assertExchange("submit-job", "fanout", { durable: true });
channel.publish("submit-job", "", Buffer.from(JSON.stringify(envelope)), {
  contentType: "application/vnd.masstransit+json",
  persistent: true,
  messageId: envelope.messageId,
});

try {
  const result = await outcome;
  console.log(JSON.stringify(result));
  await connection.close();
  process.exit(result.type === "JobCompleted" ? 0 : 2);
} catch (error) {
  console.error(error.message);
  await connection.close();
  process.exit(1);
}
