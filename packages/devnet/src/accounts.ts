import { mnemonicToAccount } from 'viem/accounts'
import { toHex, type Address, type Hex } from 'viem'

/** Anvil's public default mnemonic. These keys are known to everyone: devnet use only. */
export const DEV_MNEMONIC = 'test test test test test test test test test test test junk'

export interface DevAccount {
  readonly address: Address
  readonly privateKey: Hex
}

/** The first `count` accounts anvil funds by default (BIP-44 m/44'/60'/0'/0/i of DEV_MNEMONIC). */
export function devAccounts(count = 10): DevAccount[] {
  const out: DevAccount[] = []
  for (let i = 0; i < count; i++) {
    const account = mnemonicToAccount(DEV_MNEMONIC, { addressIndex: i })
    const key = account.getHdKey().privateKey
    if (!key) throw new Error(`could not derive dev key ${i}`)
    out.push({ address: account.address, privateKey: toHex(key) })
  }
  return out
}
