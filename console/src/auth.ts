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

export async function initAuth(): Promise<void> {
  const res = await fetch('/v1/public/config', { headers: { Accept: 'application/json' } })
  if (!res.ok) throw new Error('GET /v1/public/config: ' + res.status)
  const cfg = await res.json()
  const app = initializeApp(cfg.firebase)
  auth = initializeAuth(app, { persistence: [indexedDBLocalPersistence, browserLocalPersistence] })
  if (cfg.authEmulatorUrl) connectAuthEmulator(auth, cfg.authEmulatorUrl, { disableWarnings: true })
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

export async function signOut() {
  if (auth) await fbSignOut(auth)
  localStorage.removeItem('anju.role')
}

// token returns the current ID token, refreshed by the SDK when it is
// within five minutes of expiry; undefined when nobody is signed in.
export async function token(): Promise<string | undefined> {
  return auth?.currentUser ? auth.currentUser.getIdToken() : undefined
}
