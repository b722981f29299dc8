// `npm run db:migrate` / `npm run db:seed`: the same steps `npm start` takes, on DATABASE_URL.
import { migrate } from "../db/migrate.ts";
import { config } from "../config.ts";
import { disconnectDb, operatorDb } from "../db/client.ts";
import { seedDemo } from "../db/seed.ts";

const command = process.argv[2];
const c = config();
if (command === "migrate") {
  await migrate(c.DATABASE_URL, { app: c.DB_APP_PASSWORD, operator: c.DB_OPERATOR_PASSWORD });
  console.log("migrations applied");
} else if (command === "seed") {
  await seedDemo(operatorDb());
  await disconnectDb();
  console.log("demo data in place");
} else {
  console.error("usage: tsx server/cli/db.ts migrate|seed");
  process.exit(2);
}
