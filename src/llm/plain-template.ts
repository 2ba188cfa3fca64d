// The prompt format for models without a chat template (dialogos-mini is a code model): the messages as
// plain "role: text" lines, so chat requests still work, while /v1/models says chat:false.
import type { ChatMessageIn } from './worker-protocol.js';

/** Stop strings that end the assistant's turn in the plain format. */
export const PLAIN_STOPS = ['\nuser:', '\nsystem:'];

export function formatPlainChat(messages: ChatMessageIn[]): string {
  return `${messages.map((m) => `${m.role}: ${m.content}`).join('\n')}\nassistant:`;
}
