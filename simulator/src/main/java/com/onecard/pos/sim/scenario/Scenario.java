package com.onecard.pos.sim.scenario;

import com.onecard.pos.sim.Simulation;

import java.io.IOException;
import java.time.Duration;

/** One way a lunch can go, run on a set-up {@link Simulation}; its checks go into the verdict. */
public interface Scenario {

    /** What the command line chose beyond the set-up. */
    record Settings(Duration duration, int kills) {
    }

    String name();

    /** Windows when --terminals is not given. */
    default int defaultTerminals() {
        return 1;
    }

    /** Before set-up: pricing, clock offsets. */
    default void configure(Simulation sim) {
    }

    /** The scenario itself; {@link Simulation#verify} follows. */
    void run(Simulation sim, Settings settings) throws IOException;

    /** After {@link Simulation#verify}: checks that need the journals compared first. */
    default void afterVerify(Simulation sim) {
    }

    /** Every scenario by name; {@code lunch} is the walking skeleton. */
    static Scenario named(String name) {
        return switch (name) {
            case "lunch" -> new Lunch();
            case "lunch-rush" -> new LunchRush();
            case "outage" -> new Outage();
            case "power-loss" -> new PowerLossScenario();
            case "lost-card" -> new LostCard();
            case "serial-faults" -> new SerialFaults();
            case "clock-skew" -> new ClockSkew();
            case "failover" -> new Failover();
            case "keypad" -> new KeypadWindow();
            case "paycode" -> new PaycodeScenario();
            default -> throw new IllegalArgumentException("unknown scenario '" + name
                    + "'; known: lunch, lunch-rush, outage, power-loss, lost-card, serial-faults, clock-skew, failover, keypad,"
                    + " paycode");
        };
    }
}
