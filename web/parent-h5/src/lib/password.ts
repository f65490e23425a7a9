import { ApiError } from '@jiaxiao/web-shared/api';
import { errorText } from './api';

/** The platform's password policy (docs/accounts.md): 8–128 characters with letters and digits. */
export const PASSWORD_RULE = '至少 8 位，且须同时包含字母和数字';

export function passwordProblem(password: string, confirm: string): string | null {
  if (password.length < 8 || password.length > 128 || !/[A-Za-z]/.test(password) || !/\d/.test(password)) return PASSWORD_RULE;
  if (password !== confirm) return '两次输入的新密码不一致';
  return null;
}

/** The message of a failed password call: the field's own message for a VALIDATION_FAILED. */
export function passwordError(error: unknown): string {
  if (error instanceof ApiError && error.errors.length > 0) return error.errors[0].message;
  return errorText(error);
}
