import com.sun.tools.attach.VirtualMachine;

/**
 * Loads a native agent into a running JVM with the given options: {@code java bench/Attach.java PID LIBRARY OPTIONS}.
 * bench/profile.sh uses it for async-profiler, whose comma- and equals-separated options jcmd's JVMTI.agent_load
 * would split into arguments of its own.
 */
public class Attach {

    public static void main(String[] args) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(args[0]);
        try {
            vm.loadAgentPath(args[1], args[2]);
        } finally {
            vm.detach();
        }
    }
}
