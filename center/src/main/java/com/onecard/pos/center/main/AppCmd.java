package com.onecard.pos.center.main;

import com.onecard.pos.center.CenterLedger;
import com.onecard.pos.center.app.AppServiceConfig;
import com.onecard.pos.center.identity.AppUsers;
import com.onecard.pos.center.identity.PasswordHasher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.Callable;

/** {@code scripts/center app ...}: the campus app's people, enrolled by the card office. */
@Command(name = "app", description = "Enrol students and card-office staff in the campus app.",
        subcommands = {AppCmd.Student.class, AppCmd.Staff.class})
final class AppCmd {
    @Command(name = "student", description = "Enrol a card account's holder under a student number (and the"
            + " national ID number the initial password comes from).")
    static final class Student extends CenterMain.WithConfig implements Callable<Integer> {
        @Parameters(index = "0", description = "card account id")
        long account;

        @Option(names = "--student-number", required = true, description = "the unified identity's user name")
        String studentNumber;

        @Option(names = "--national-id", description = "the holder's national ID number (initial password: its"
                + " last six digits; without it the initial password is 111111)")
        String nationalId;

        @Override
        public Integer call() throws Exception {
            try (CenterLedger admin = Admin.open(load())) {
                if (nationalId != null) {
                    admin.accounts().setNationalId(account, nationalId);
                }
                new AppUsers(admin.unitOfWork(), Clock.systemUTC()).enrolStudent(account, studentNumber);
            }
            System.out.println("student " + studentNumber + " enrolled for account " + account);
            return 0;
        }
    }

    @Command(name = "staff", description = "Add a card-office login (role admin); its password is read from"
            + " standard input, never from the command line.")
    static final class Staff extends CenterMain.WithConfig implements Callable<Integer> {
        @Parameters(index = "0", description = "login name")
        String login;

        @Option(names = "--phone", required = true, description = "mobile number for the login codes")
        String phone;

        @Override
        public Integer call() throws Exception {
            AppServiceConfig app = AppConfigFile.load(config, Clock.systemUTC());
            String password = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (password == null || password.length() < 12) {
                throw new CenterConfigFile.Invalid("standard input: a staff password of at least 12 characters");
            }
            try (CenterLedger admin = Admin.open(load())) {
                new AppUsers(admin.unitOfWork(), Clock.systemUTC()).enrolAdmin(login,
                        new PasswordHasher(app.passwordCost()).hash(password), phone);
            }
            System.out.println("card-office login " + login + " added");
            return 0;
        }
    }
}
