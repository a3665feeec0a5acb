// Sending a CSV or XLSX file the API reads row by row, and turning its
// answer into data or an ApiError whose fields are the row report.
import { ApiError, raw } from './api/client'

export function fileFormat(f: File): 'csv' | 'xlsx' {
  return f.name.toLowerCase().endsWith('.xlsx') ? 'xlsx' : 'csv'
}

export async function upload<T>(path: string, f: File): Promise<T> {
  const sep = path.includes('?') ? '&' : '?'
  const res = await raw('POST', `${path}${sep}format=${fileFormat(f)}`, await f.arrayBuffer(), 'application/octet-stream')
  const body = await res.json().catch(() => ({}))
  if (!res.ok) throw new ApiError(res.status, body)
  return body as T
}
