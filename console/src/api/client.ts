// Calls to the Anju API through openapi-fetch with the types generated
// from openapi/anju.yaml (schema.d.ts, checked for staleness by make test).
// Every request carries the ID token and the console's language; a 401
// sends the user back to sign-in; problem+json answers become ApiError with
// the localized detail and the field messages.
import createClient, { type Middleware } from 'openapi-fetch'
import type { paths, components } from './schema'
import { token, signOut } from '../auth'
import { locale } from '../i18n'

export type Schemas = components['schemas']

export class ApiError extends Error {
  status: number
  code: string
  fields: Record<string, string>
  constructor(status: number, p: any) {
    super(p?.detail || p?.title || 'HTTP ' + status)
    this.status = status
    this.code = p?.code ?? ''
    this.fields = {}
    for (const e of p?.errors ?? []) if (e?.field) this.fields[e.field] = e.detail ?? e.message ?? ''
  }
}

let onUnauthorized: () => void = () => {}
export function setUnauthorizedHandler(f: () => void) { onUnauthorized = f }

const auth: Middleware = {
  async onRequest({ request }) {
    const t = await token()
    if (t) request.headers.set('Authorization', 'Bearer ' + t)
    request.headers.set('Accept-Language', locale.value)
    // Every POST may carry a key and those that create must: a retry of
    // the same request object (the network failing after the server
    // answered) is answered from the first response.
    if (request.method === 'POST' && !request.headers.has('Idempotency-Key')) request.headers.set('Idempotency-Key', newKey())
    return request
  },
  async onResponse({ response }) {
    if (response.status === 401) {
      await signOut()
      onUnauthorized()
    }
    return response
  },
}

export const api = createClient<paths>({ baseUrl: '' })
api.use(auth)

// must unwraps an openapi-fetch answer: the data, or an ApiError.
export async function must<T>(p: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await p
  if (!response.ok) throw new ApiError(response.status, error)
  return data as T
}

export function newKey(): string {
  return crypto.randomUUID()
}

// raw sends a body openapi-fetch does not model (files) with the same headers.
export async function raw(method: string, path: string, body?: BodyInit, contentType?: string): Promise<Response> {
  const headers: Record<string, string> = { 'Accept-Language': locale.value, 'Idempotency-Key': newKey() }
  const t = await token()
  if (t) headers.Authorization = 'Bearer ' + t
  if (contentType) headers['Content-Type'] = contentType
  const res = await fetch(path, { method, headers, body })
  if (res.status === 401) { await signOut(); onUnauthorized() }
  return res
}
