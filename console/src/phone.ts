// Staff sign-in by phone with the Firebase JS SDK: an SMS code sent to the
// number, proven by a RecaptchaVerifier (invisible; against the Auth
// emulator app verification is off, see auth.ts), then confirmed. Only the
// sign-in screen imports this.
import { RecaptchaVerifier, signInWithPhoneNumber, type ConfirmationResult } from 'firebase/auth'
import { firebaseAuth } from './auth'

let verifier: RecaptchaVerifier | undefined
let pending: ConfirmationResult | undefined

// e164 reads a number as typed: a mainland mobile number (11 digits from
// 1) gets +86; anything else must already be in E.164. It returns '' when
// the number is neither.
export function e164(typed: string): string {
  const s = typed.replace(/[\s-]/g, '')
  if (/^1\d{10}$/.test(s)) return '+86' + s
  if (/^\+[1-9]\d{6,14}$/.test(s)) return s
  return ''
}

// sendCode sends the code to the number; container holds the reCAPTCHA
// (nothing is shown for an invisible one unless Google asks for a challenge).
export async function sendCode(phone: string, container: HTMLElement): Promise<void> {
  verifier?.clear()
  verifier = new RecaptchaVerifier(firebaseAuth(), container, { size: 'invisible' })
  try {
    pending = await signInWithPhoneNumber(firebaseAuth(), phone, verifier)
  } catch (e) {
    verifier.clear()
    verifier = undefined
    throw e
  }
}

// confirmCode signs in with the code sent by sendCode.
export async function confirmCode(code: string): Promise<void> {
  if (!pending) throw new Error('no code was sent')
  await pending.confirm(code)
  pending = undefined
  verifier?.clear()
  verifier = undefined
}
