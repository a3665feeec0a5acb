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
  // Nothing that talks to Scalar's own services: no AI agent, developer
  // tools or toolbar (they reach a registry and a proxy outside the city).
  agent: { disabled: true },
  showDeveloperTools: 'never',
  showToolbar: 'never',
  proxyUrl: undefined,
} as any)
