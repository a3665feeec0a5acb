// Sign-in with the Firebase JS SDK. The Firebase settings (and, in
// development, the Auth emulator) come from GET /v1/public/config, so one
// build serves every deployment. The SDK refreshes the ID token before it
// expires; getIdToken() hands out a fresh one for each API call.
import { initializeApp } from 'firebase/app'
import {
  connectAuthEmulator, initializeAuth, indexedDBLocalPersistence, browserLocalPersistence,
  onIdTokenChanged, signInWithEmailAndPassword, signOut as fbSignOut, type Auth, type User,
} from 'firebase/auth'
import { ref } from 'vue'

let auth: Auth | undefined
export const currentUser = ref<User | null>(null)
export const ready = ref(false)

// How staff may sign in here, from GET /v1/public/config: phone sign-in is
// offered where the deployment trusts it for staff; emulator is set in
// development, where the SDK talks to the Auth emulator.
export const signInOptions = ref({ phone: false, emulator: false })

export async function initAuth(): Promise<void> {
  const res = await fetch('/v1/public/config', { headers: { Accept: 'application/json' } })
  if (!res.ok) throw new Error('GET /v1/public/config: ' + res.status)
  const cfg = await res.json()
  const app = initializeApp(cfg.firebase)
  auth = initializeAuth(app, { persistence: [indexedDBLocalPersistence, browserLocalPersistence] })
  if (cfg.authEmulatorUrl) {
    connectAuthEmulator(auth, cfg.authEmulatorUrl, { disableWarnings: true })
    // The emulator takes any app verification: RecaptchaVerifier then
    // renders nothing and loads nothing from Google (the CSP allows none).
    // Never set against the real Firebase Auth, where reCAPTCHA proves a
    // browser.
    auth.settings.appVerificationDisabledForTesting = true
  }
  signInOptions.value = {
    phone: (cfg.staffSignInProviders ?? []).includes('phone'),
    emulator: !!cfg.authEmulatorUrl,
  }
  await new Promise<void>((resolve) => {
    onIdTokenChanged(auth!, (u) => {
      currentUser.value = u
      ready.value = true
      resolve()
    })
  })
}

export async function signIn(email: string, password: string) {
  if (!auth) throw new Error('auth not initialised')
  await signInWithEmailAndPassword(auth, email, password)
}

// firebaseAuth is the initialised Auth, for the sign-in flows kept out of
// the first load (phone.ts).
export function firebaseAuth(): Auth {
  if (!auth) throw new Error('auth not initialised')
  return auth
}

export async function signOut() {
  if (auth) await fbSignOut(auth)
  localStorage.removeItem('anju.role')
}

// token returns the current ID token, refreshed by the SDK when it is
// within five minutes of expiry; undefined when nobody is signed in.
export async function token(): Promise<string | undefined> {
  return auth?.currentUser ? auth.currentUser.getIdToken() : undefined
}
