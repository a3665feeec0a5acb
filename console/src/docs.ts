// The API reference at /docs: Scalar renders /openapi.yaml in the browser,
// from files embedded in the binary, with no font or script from elsewhere.
import { createApiReference } from '@scalar/api-reference'
import '@scalar/api-reference/style.css'

createApiReference('#reference', {
  url: '/openapi.yaml',
  withDefaultFonts: false,
  hideClientButton: true,
  hideModels: true,
  telemetry: false,
} as any)
