import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import {
  dynamoDBLocalJar,
  dynamoDBLocalLibraryDir,
  installDynamoDBLocal,
} from './dynamodb-local-install.ts'
import { defaultEngineCacheDir } from './packed-folder.ts'
import { installVenv } from './python-venv.ts'

/**
 * LocalStack (the `localstack-core` package from PyPI) runs on this machine
 * without Docker, an auth token or the internet, once three things it would
 * download are in place: its Python packages (pinned by the lock file, from
 * PyPI), DynamoDB Local (the same pinned tarball the local engines use) and a
 * Java 21 (the machine's own Java, which runs DynamoDB Local as well).
 */

export const localStackVersion = '2026.3.0'

const requirementsFile = fileURLToPath(
  new URL('./localstack-requirements.lock.txt', import.meta.url),
)

/** The agent LocalStack puts on DynamoDB Local's command line; see `buildNoOpAgent`. */
const ddbAgentJar = 'ddb-local-loader-0.1.jar'

export class LocalStackInstallError extends Error {
  override name = 'LocalStackInstallError'
}

export interface LocalStackInstallation {
  /** The venv's Python, which runs `localstack.runtime.main`. */
  readonly python: string
  /** What LocalStack finds under `var/lib/localstack/lib`: DynamoDB Local. */
  readonly varLibs: string
  /** What LocalStack finds under `usr/lib/localstack`: its Java. */
  readonly staticLibs: string
}

const execFileAsync = promisify(execFile)

/** Makes sure LocalStack and what it needs are in the cache; the first call downloads them. */
export async function installLocalStack(
  cacheDir = defaultEngineCacheDir,
): Promise<LocalStackInstallation> {
  const home = join(cacheDir, `localstack-${localStackVersion}`)
  const javaHome = await findJavaHome()
  const [python, varLibs, staticLibs] = await Promise.all([
    readFile(requirementsFile, 'utf8').then((locked) =>
      installVenv(join(home, 'venv'), locked, {
        purpose: `LocalStack ${localStackVersion}`,
        // localstack-core uses Python 3.12 syntax.
        minimum: [3, 12],
        overrideVariable: 'SLUICE_LOCALSTACK_PYTHON',
      }),
    ),
    placeDynamoDBLocal(join(home, 'lib'), cacheDir, javaHome),
    linkJava(join(home, 'static'), javaHome),
  ])
  return { python, varLibs, staticLibs }
}

/** The home of the `java` on PATH, from the JVM itself (PATH often holds a chain of symlinks). */
async function findJavaHome(): Promise<string> {
  const { stderr } = await execFileAsync('java', ['-XshowSettings:properties', '-version']).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error
      throw new LocalStackInstallError(
        'LocalStack runs DynamoDB Local on Java 17+, and `java` was not found: install a JDK ' +
          '(e.g. `apt-get install openjdk-17-jdk-headless`).',
      )
    },
  )
  const home = /^\s*java\.home = (.+)$/m.exec(stderr)?.[1]
  if (home === undefined) throw new LocalStackInstallError('`java` did not report its java.home')
  return home.trim()
}

/**
 * LocalStack looks for DynamoDB Local in `dynamodb-local/2/` and would
 * download it from AWS otherwise: link the emulator the local engines use.
 */
async function placeDynamoDBLocal(
  varLibs: string,
  cacheDir: string,
  javaHome: string,
): Promise<string> {
  const dir = join(varLibs, 'dynamodb-local', '2')
  // Placed last: its presence means the folder is complete.
  const agent = join(dir, ddbAgentJar)
  if (existsSync(agent)) return varLibs

  const emulator = await installDynamoDBLocal(cacheDir)
  await rm(dir, { recursive: true, force: true })
  await mkdir(dir, { recursive: true })
  await Promise.all(
    [dynamoDBLocalJar, dynamoDBLocalLibraryDir].map((name) =>
      symlink(join(emulator, name), join(dir, name)),
    ),
  )
  await buildNoOpAgent(agent, javaHome)
  return varLibs
}

/**
 * LocalStack starts DynamoDB Local with `-javaagent:ddb-local-loader-0.1.jar`,
 * a patch it downloads from GitHub that lifts the limit of 20 global secondary
 * indexes per table. Sluice's tables have none, so an agent that does nothing
 * takes its place; the JVM refuses to start without one.
 */
async function buildNoOpAgent(jarPath: string, javaHome: string): Promise<void> {
  const build = await mkdtemp(join(tmpdir(), 'sluice-agent-'))
  try {
    await writeFile(
      join(build, 'NoOpAgent.java'),
      'public final class NoOpAgent {\n' +
        '  public static void premain(String args, java.lang.instrument.Instrumentation inst) {}\n' +
        '}\n',
    )
    await writeFile(join(build, 'MANIFEST.MF'), 'Premain-Class: NoOpAgent\n')
    const jdkTool = (tool: string) => join(javaHome, 'bin', tool)
    if (!existsSync(jdkTool('javac'))) {
      throw new LocalStackInstallError(
        `${javaHome} is a Java runtime without javac; LocalStack's DynamoDB needs a JDK to build ` +
          'its agent (e.g. `apt-get install openjdk-17-jdk-headless`).',
      )
    }
    await execFileAsync(jdkTool('javac'), ['-d', build, join(build, 'NoOpAgent.java')])
    await execFileAsync(jdkTool('jar'), [
      ...['--create', '--file', jarPath, '--manifest', join(build, 'MANIFEST.MF')],
      ...['-C', build, 'NoOpAgent.class'],
    ])
  } finally {
    await rm(build, { recursive: true, force: true })
  }
}

/**
 * LocalStack runs DynamoDB Local on the Java 21 it expects in `java/21` and
 * would download otherwise; the emulator runs on 17 as well. Linked on every
 * start, so it follows the machine's Java.
 */
async function linkJava(staticLibs: string, javaHome: string): Promise<string> {
  const javaDir = join(staticLibs, 'java')
  await mkdir(javaDir, { recursive: true })
  const link = join(javaDir, '21')
  await rm(link, { force: true })
  await symlink(javaHome, link)
  return staticLibs
}
