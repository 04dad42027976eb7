import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '@hindsight/server-common';
import { CONFIG, type AiConfig, type ResolvedConfig } from '@hindsight/server-config';
import { OutboundGuard, OutboundRefused } from '@hindsight/server-outbound';

export interface ChatMessage {
  role: 'system' | 'user';
  content: string;
}

/** What the model said: its message's text, or that it declined. */
export type ChatAnswer = { kind: 'content'; content: string } | { kind: 'refused'; reason: string };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * One chat completion from an OpenAI-compatible server (Ollama, vLLM, llama.cpp's server, a
 * cloud endpoint) through the outbound guard: `POST <AI_BASE_URL>/chat/completions`, asking
 * for a JSON object. Every way it can fail becomes an AppError with a MODEL_* code.
 */
@Injectable()
export class ModelClient {
  constructor(
    @Inject(CONFIG) private readonly config: ResolvedConfig,
    private readonly outbound: OutboundGuard,
  ) {}

  /** The configured model, or null while drafting is off. */
  get settings(): AiConfig | null {
    return this.config.ai;
  }

  async complete(messages: readonly ChatMessage[]): Promise<ChatAnswer> {
    const ai = this.config.ai;
    if (!ai) throw notConfigured();
    let res;
    try {
      res = await this.outbound.request(`${ai.baseUrl}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...(ai.apiKey ? { authorization: `Bearer ${ai.apiKey}` } : {}) },
        body: JSON.stringify({ model: ai.model, messages, temperature: 0.2, stream: false, response_format: { type: 'json_object' } }),
        timeoutMs: ai.timeoutMs,
      });
    } catch (e) {
      if (e instanceof Error && e.name === 'TimeoutError') {
        throw new AppError(`The model did not answer within ${ai.timeoutMs / 1000} s; nothing was changed. Try again, or ask an administrator to raise AI_TIMEOUT_SECONDS.`, 'MODEL_TIMEOUT', { retryable: true });
      }
      if (e instanceof OutboundRefused) {
        throw new AppError(`The model server may not be reached: ${e.message}. An administrator allows it with OUTBOUND_ALLOWLIST (docs/ai-drafts.md); nothing was changed.`, 'MODEL_UNAVAILABLE');
      }
      throw new AppError(`The model server could not be reached (${e instanceof Error ? e.message : String(e)}); nothing was changed.`, 'MODEL_UNAVAILABLE', { retryable: true });
    }
    if (res.status < 200 || res.status >= 300) {
      throw new AppError(`The model server answered HTTP ${res.status}; nothing was changed.`, 'MODEL_UNAVAILABLE', { retryable: res.status >= 500 || res.status === 429, status: res.status });
    }
    let body: unknown;
    try {
      body = JSON.parse(res.body);
    } catch {
      throw badAnswer('its answer is not JSON');
    }
    const choice = isRecord(body) && Array.isArray(body['choices']) ? body['choices'][0] : undefined;
    const message = isRecord(choice) ? choice['message'] : undefined;
    if (!isRecord(choice) || !isRecord(message)) throw badAnswer('its answer has no choices[0].message');
    // OpenAI-style refusals: a `refusal` on the message, or a content filter that stopped it.
    if (typeof message['refusal'] === 'string' && message['refusal'].trim() !== '') return { kind: 'refused', reason: message['refusal'].trim().slice(0, 300) };
    if (choice['finish_reason'] === 'content_filter') return { kind: 'refused', reason: 'the content filter of the model server stopped the answer' };
    if (typeof message['content'] !== 'string' || message['content'].trim() === '') throw badAnswer('its message is empty');
    return { kind: 'content', content: message['content'] };
  }
}

export function notConfigured(): AppError {
  return new AppError('Drafting with a model is off on this server: an administrator turns it on with AI_BASE_URL and AI_MODEL (docs/ai-drafts.md).', 'MODEL_NOT_CONFIGURED');
}

export function badAnswer(reason: string): AppError {
  return new AppError(`The model's answer could not be read as a draft (${reason}); nothing was changed. Try again; a larger model follows the format more reliably.`, 'MODEL_BAD_ANSWER', { reason });
}
